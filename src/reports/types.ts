/** The report dimensions and row keys, shared by the queries, labels, API and page. */
export const GROUP_BY = ["campaign", "offer", "day", "country", "conversionType"] as const;

export type GroupBy = (typeof GROUP_BY)[number];

export type ReportKey = number | string | null;
