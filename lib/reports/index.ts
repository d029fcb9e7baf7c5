/** Report formats of `vpconnect check`. Pure: each renders a CheckReport to text. */
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import type { CheckReport } from "./model";
import { renderSarif } from "./sarif";
import { renderTable } from "./table";

export type ReportFormat = "table" | "json" | "sarif" | "junit" | "markdown" | "html";
export const REPORT_FORMATS: readonly ReportFormat[] = ["table", "json", "sarif", "junit", "markdown", "html"];

/** The file each format is written to under --out (`table` goes to the console). */
export const REPORT_FILES: Readonly<Record<Exclude<ReportFormat, "table">, (stack: string) => string>> = {
  json: (stack) => `${stack}.policy.json`,
  sarif: (stack) => `${stack}.sarif`,
  junit: (stack) => `${stack}.junit.xml`,
  markdown: (stack) => `${stack}.md`,
  html: (stack) => `${stack}.html`,
};

export const RENDERERS: Readonly<Record<ReportFormat, (report: CheckReport) => string>> = {
  table: renderTable,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  markdown: renderMarkdown,
  html: renderHtml,
};

export { renderHtml, renderJson, renderJunit, renderMarkdown, renderSarif, renderTable };
export * from "./model";
