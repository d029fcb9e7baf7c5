/**
 * Adapts the roster file parser (lib/vantagepoint/rosterFile.ts) to the config loader: structural problems
 * become row-level config issues instead of exceptions, each entry carries where it is in the file (the CSV
 * line, blank lines and quoted line breaks counted; or the JSON index), and a `configurer` column is refused
 * (the configurer is named once, under roster.configurer).
 */
import { parseRosterFileRows, RosterFileError } from "../vantagepoint/rosterFile";
import type { RosterFileParser } from "./load";
import { decodeUtf8 } from "./text";

export const readRosterFile: RosterFileParser = (text, fileName) => {
  const decoded = decodeUtf8(text);
  if ("error" in decoded)
    return {
      entries: [],
      errors: [{ row: decoded.line, where: `line ${decoded.line}`, message: decoded.error }],
    };
  try {
    const { entries, where } = parseRosterFileRows(text, fileName);
    const errors: Array<{ row: number; where?: string; field?: string; message: string }> = [];
    const cleaned = entries.map((entry, index) => {
      // Only a row with a configurer column is copied (the column left out): 100,000 copies made for nothing.
      if (!Object.hasOwn(entry, "configurer")) return entry;
      const { configurer, ...person } = entry as typeof entry & { configurer?: boolean };
      if (configurer) {
        errors.push({
          row: index + 2,
          where: where[index],
          field: "configurer",
          message: "is set; name the configurer under roster.configurer instead",
        });
      }
      return person;
    });
    return { entries: cleaned, errors, where };
  } catch (error) {
    if (error instanceof RosterFileError) {
      return {
        entries: [],
        errors: [{ row: 1, ...(error.where ? { where: error.where } : {}), message: error.message }],
      };
    }
    throw error;
  }
};
