/**
 * The national templates as data (spec: ../shared/spec/format.md §3, §4, §10).
 * Keys here are the keys of JSON output, SQLite rows and findings; labels are exact as printed.
 * `keywords` are short, distinctive fragments used for tolerant matching after normalisation
 * (a label may be corrupted, wrapped or spaced, but rarely loses all of its keywords).
 */

export type TableId = "t2" | "t3" | "t4";
export type TemplateId = "v2019" | "v2021" | "v2021-collapsed-other" | "hybrid" | "legacy";
export type ValueKind = "count" | "signed" | "money";

export interface ColumnDef {
  key: string;
  label: string;
  keywords: string[];
  kind: ValueKind;
}

export interface RowDef {
  key: string;
  label: string;
  /** Group label printed beside the item (spans several rows). */
  group?: string;
  keywords: string[];
  /** Fragments that must NOT occur for this row to match (separates look-alikes). */
  exclude?: string[];
}

// ---------------------------------------------------------------- table 3

export const T3_COLUMNS: ColumnDef[] = [
  { key: "natural_person", label: "自然人", keywords: ["自然人"], kind: "count" },
  { key: "commercial_enterprise", label: "商业企业", keywords: ["商业企业"], kind: "count" },
  { key: "research_institution", label: "科研机构", keywords: ["科研机构"], kind: "count" },
  { key: "social_welfare_org", label: "社会公益组织", keywords: ["社会公益组织"], kind: "count" },
  { key: "legal_service_org", label: "法律服务机构", keywords: ["法律服务机构"], kind: "count" },
  { key: "other_org", label: "其他", keywords: ["其他"], kind: "count" },
  { key: "total", label: "总计", keywords: ["总计"], kind: "count" },
];
export const T3_APPLICANT_COLUMNS = T3_COLUMNS.slice(0, 6).map((c) => c.key);
export const T3_COLUMN_KEYS = T3_COLUMNS.map((c) => c.key);

const G3 = "三、本年度办理结果";
const DENIED = "（三）不予公开";
const UNABLE = "（四）无法提供";
const NOTPROC = "（五）不予处理";
const OTHER = "（六）其他处理";

const T3_HEAD: RowDef[] = [
  {
    key: "new_requests",
    label: "一、本年新收政府信息公开申请数量",
    keywords: ["本年新收", "新收政府信息公开申请"],
  },
  { key: "carried_over", label: "二、上年结转政府信息公开申请数量", keywords: ["上年结转"] },
  { key: "granted", label: "（一）予以公开", group: G3, keywords: ["予以公开"] },
  {
    key: "partially_granted",
    label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    group: G3,
    keywords: ["部分公开", "区分处理"],
  },
  { key: "denied.state_secret", label: "1.属于国家秘密", group: DENIED, keywords: ["国家秘密"] },
  {
    key: "denied.prohibited_by_law",
    label: "2.其他法律行政法规禁止公开",
    group: DENIED,
    // `其他法律行政止公开` (characters lost in a PDF text layer) must still map.
    keywords: ["禁止公开", "其他法律行政", "法规禁止"],
  },
  {
    key: "denied.security_stability",
    label: "3.危及“三安全一稳定”",
    group: DENIED,
    keywords: ["三安全一稳定", "危及"],
  },
  {
    key: "denied.third_party_rights",
    label: "4.保护第三方合法权益",
    group: DENIED,
    keywords: ["第三方合法权益", "第三方"],
  },
  { key: "denied.internal_affairs", label: "5.属于三类内部事务信息", group: DENIED, keywords: ["内部事务"] },
  {
    key: "denied.process_information",
    label: "6.属于四类过程性信息",
    group: DENIED,
    keywords: ["过程性信息", "过程性"],
  },
  { key: "denied.enforcement_case_file", label: "7.属于行政执法案卷", group: DENIED, keywords: ["执法案卷"] },
  { key: "denied.administrative_query", label: "8.属于行政查询事项", group: DENIED, keywords: ["行政查询"] },
  { key: "unable.not_held", label: "1.本机关不掌握相关政府信息", group: UNABLE, keywords: ["不掌握"] },
  {
    key: "unable.needs_creation",
    label: "2.没有现成信息需要另行制作",
    group: UNABLE,
    keywords: ["另行制作", "没有现成"],
  },
  {
    key: "unable.unclear_after_correction",
    label: "3.补正后申请内容仍不明确",
    group: UNABLE,
    keywords: ["仍不明确", "补正后申请"],
  },
  {
    key: "not_processed.petition_complaint",
    label: "1.信访举报投诉类申请",
    group: NOTPROC,
    keywords: ["信访举报", "投诉类"],
  },
  { key: "not_processed.repeat", label: "2.重复申请", group: NOTPROC, keywords: ["重复申请"] },
  { key: "not_processed.publication", label: "3.要求提供公开出版物", group: NOTPROC, keywords: ["出版物"] },
  {
    key: "not_processed.excessive",
    label: "4.无正当理由大量反复申请",
    group: NOTPROC,
    keywords: ["大量反复"],
  },
  {
    key: "not_processed.confirm_or_reissue",
    label: "5.要求行政机关确认或重新出具已获取信息",
    group: NOTPROC,
    keywords: ["确认或重新出具", "重新出具", "已获取信息"],
  },
];

const T3_OTHER_SPLIT: RowDef[] = [
  {
    key: "other.no_correction",
    label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    group: OTHER,
    keywords: ["逾期不补正", "不补正"],
  },
  {
    key: "other.fee_unpaid",
    label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    group: OTHER,
    keywords: ["收费通知", "缴纳费用"],
  },
  { key: "other.other", label: "3.其他", group: OTHER, keywords: ["3.其他"] },
];

const T3_OTHER_SINGLE: RowDef[] = [
  { key: "other.subtotal", label: "（六）其他处理", group: G3, keywords: ["其他处理"] },
];

const T3_TAIL: RowDef[] = [
  { key: "results_total", label: "（七）总计", group: G3, keywords: ["(七)总计", "七)总计", "(七)合计"] },
  { key: "carried_forward", label: "四、结转下年度继续办理", keywords: ["结转下年度", "下年度继续办理"] },
];

export const T3_ROWS_V2021: RowDef[] = [...T3_HEAD, ...T3_OTHER_SPLIT, ...T3_TAIL];
export const T3_ROWS_V2019: RowDef[] = [...T3_HEAD, ...T3_OTHER_SINGLE, ...T3_TAIL];
/** Every row key that can occur in table 3, in print order (v2021 split rows, then the v2019 single row). */
export const T3_ALL_ROWS: RowDef[] = [...T3_HEAD, ...T3_OTHER_SPLIT, ...T3_OTHER_SINGLE, ...T3_TAIL];

/** Rows that T3.R2 adds up to `results_total`, for a given shape of （六）. */
export function t3ResultRows(collapsedOther: boolean): string[] {
  const rows = T3_HEAD.slice(2).map((r) => r.key);
  return collapsedOther ? [...rows, "other.subtotal"] : [...rows, ...T3_OTHER_SPLIT.map((r) => r.key)];
}

// ---------------------------------------------------------------- table 4

export const T4_GROUPS = [
  { key: "review", label: "行政复议" },
  { key: "litigation_direct", label: "未经复议直接起诉" },
  { key: "litigation_after_review", label: "复议后起诉" },
] as const;
export const T4_COLUMNS: ColumnDef[] = [
  { key: "upheld", label: "结果维持", keywords: ["维持"], kind: "count" },
  { key: "corrected", label: "结果纠正", keywords: ["纠正"], kind: "count" },
  { key: "other", label: "其他结果", keywords: ["其他结果"], kind: "count" },
  { key: "pending", label: "尚未审结", keywords: ["尚未审结"], kind: "count" },
  { key: "total", label: "总计", keywords: ["总计"], kind: "count" },
];
/** The 15 table-4 paths in print order. */
export const T4_PATHS: string[] = T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g.key}.${c.key}`));

// ---------------------------------------------------------------- table 2

export interface T2Block {
  key: string;
  caption: string;
  columns: ColumnDef[];
  rows: RowDef[];
}

const count = (key: string, label: string, keywords: string[] = [label]): ColumnDef => ({
  key,
  label,
  keywords,
  kind: "count",
});

export const T2_V2021: T2Block[] = [
  {
    key: "art20_1",
    caption: "第二十条第（一）项",
    columns: [
      count("issued", "本年制发件数", ["制发件数"]),
      count("repealed", "本年废止件数", ["废止件数"]),
      count("in_force", "现行有效件数", ["现行有效"]),
    ],
    rows: [
      { key: "regulations", label: "规章", keywords: ["规章"] },
      { key: "normative_documents", label: "行政规范性文件", keywords: ["规范性文件"] },
    ],
  },
  {
    key: "art20_5",
    caption: "第二十条第（五）项",
    columns: [count("decisions", "本年处理决定数量", ["处理决定数量"])],
    rows: [{ key: "licensing", label: "行政许可", keywords: ["行政许可"] }],
  },
  {
    key: "art20_6",
    caption: "第二十条第（六）项",
    columns: [count("decisions", "本年处理决定数量", ["处理决定数量"])],
    rows: [
      { key: "penalty", label: "行政处罚", keywords: ["行政处罚"] },
      { key: "coercion", label: "行政强制", keywords: ["行政强制"] },
    ],
  },
  {
    key: "art20_8",
    caption: "第二十条第（八）项",
    columns: [
      { key: "amount_wan_yuan", label: "本年收费金额（单位：万元）", keywords: ["收费金额"], kind: "money" },
    ],
    rows: [{ key: "admin_fees", label: "行政事业性收费", keywords: ["行政事业性收费", "事业性收费"] }],
  },
];

const V2019_ITEMS: ColumnDef[] = [
  count("prev_year_items", "上一年项目数量", ["上一年项目数量", "上一年项目"]),
  { key: "change", label: "本年增/减", keywords: ["本年增", "增/减", "增减"], kind: "signed" },
  count("decisions", "处理决定数量", ["处理决定数量"]),
];

export const T2_V2019: T2Block[] = [
  {
    key: "art20_1",
    caption: "第二十条第（一）项",
    columns: [
      count("newly_made", "本年新制作数量", ["新制作"]),
      count("newly_published", "本年新公开数量", ["新公开"]),
      count("total_published", "对外公开总数量", ["对外公开总数"]),
    ],
    rows: [
      { key: "regulations", label: "规章", keywords: ["规章"] },
      { key: "normative_documents", label: "规范性文件", keywords: ["规范性文件"] },
    ],
  },
  {
    key: "art20_5",
    caption: "第二十条第（五）项",
    columns: V2019_ITEMS,
    rows: [
      { key: "licensing", label: "行政许可", keywords: ["行政许可"] },
      {
        key: "other_admin_services",
        label: "其他对外管理服务事项",
        keywords: ["其他对外管理服务", "对外管理服务"],
      },
    ],
  },
  {
    key: "art20_6",
    caption: "第二十条第（六）项",
    columns: V2019_ITEMS,
    rows: [
      { key: "penalty", label: "行政处罚", keywords: ["行政处罚"] },
      { key: "coercion", label: "行政强制", keywords: ["行政强制"] },
    ],
  },
  {
    key: "art20_8",
    caption: "第二十条第（八）项",
    columns: V2019_ITEMS.slice(0, 2),
    rows: [{ key: "admin_fees", label: "行政事业性收费", keywords: ["行政事业性收费", "事业性收费"] }],
  },
  {
    key: "art20_9",
    caption: "第二十条第（九）项",
    columns: [
      count("items", "采购项目数量", ["采购项目数量", "采购项目"]),
      { key: "amount", label: "采购总金额", keywords: ["采购总金额"], kind: "money" },
    ],
    rows: [{ key: "central_procurement", label: "政府集中采购", keywords: ["政府集中采购", "集中采购"] }],
  },
];

export function t2Blocks(template: "v2019" | "v2021"): T2Block[] {
  return template === "v2019" ? T2_V2019 : T2_V2021;
}

/** All t2 paths of a template in print order, with the kind of each value. */
export function t2Paths(template: "v2019" | "v2021"): { path: string; kind: ValueKind }[] {
  return t2Blocks(template).flatMap((b) =>
    b.rows.flatMap((r) => b.columns.map((c) => ({ path: `t2.${r.key}.${c.key}`, kind: c.kind }))),
  );
}

/** All t3 paths for a template shape. */
export function t3Paths(collapsedOther: boolean): string[] {
  const rows = collapsedOther ? T3_ROWS_V2019 : T3_ROWS_V2021;
  return rows.flatMap((r) => T3_COLUMN_KEYS.map((c) => `t3.${r.key}.${c}`));
}

// ---------------------------------------------------------------- sections

export const SECTIONS = [
  { key: "s1_overview", heading: "一、总体情况", pattern: /总体情况/ },
  { key: "s2_proactive", heading: "二、主动公开政府信息情况", pattern: /主动公开政府信息(?:情况)?/ },
  {
    key: "s3_applications",
    heading: "三、收到和处理政府信息公开申请情况",
    pattern: /收到和处理政府信息公开申请/,
  },
  {
    key: "s4_review_litigation",
    heading: "四、政府信息公开行政复议、行政诉讼情况",
    pattern: /行政(?:法)?复议[、和及与,，]?(?:提起)?行政诉讼|被申请行政复议/,
  },
  { key: "s5_problems", heading: "五、存在的主要问题及改进情况", pattern: /存在的?主要问题|存在问题及改进/ },
  { key: "s6_other", heading: "六、其他需要报告的事项", pattern: /其他需要报告/ },
] as const;
export type SectionKey = (typeof SECTIONS)[number]["key"];

/**
 * The section headings that stand above the three tables, each with words only its table's own text
 * contains: a heading present without its table's words means the table was not printed as text
 * (a picture, a scan). Used by the HTML and PDF backends to mark pages for OCR.
 */
export const TABLE_SECTIONS: { table: TableId; title: string; heading: RegExp; words: RegExp }[] = [
  { table: "t2", title: "主动公开政府信息情况", heading: /主动公开政府信息情况/, words: /第二十条|信息内容/ },
  {
    table: "t3",
    title: "收到和处理政府信息公开申请情况",
    heading: /收到和处理政府信息公开申请情况/,
    words: /勾稽|本年新收|予以公开|申请人情况/,
  },
  {
    table: "t4",
    title: "政府信息公开行政复议、行政诉讼情况",
    heading: /行政复议[、和及]?\s*行政诉讼/,
    words: /结果维持|未经复议|复议后起诉|尚未审结/,
  },
];
