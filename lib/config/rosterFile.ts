/**
 * Adapts the roster file parser (lib/vantagepoint/rosterFile.ts) to the config loader: structural problems
 * become row-level config issues instead of exceptions, and a `configurer` column is refused (the configurer
 * is named once, under roster.configurer).
 */
import { parseRosterFile, RosterFileError } from "../vantagepoint/rosterFile";
import type { RosterFileParser } from "./load";

export const readRosterFile: RosterFileParser = (text, fileName) => {
  try {
    const entries = parseRosterFile(text, fileName);
    const errors: Array<{ row: number; field?: string; message: string }> = [];
    const cleaned = entries.map((entry, index) => {
      const { configurer, ...person } = entry as typeof entry & { configurer?: boolean };
      if (configurer) {
        errors.push({ row: index + 2, field: "configurer", message: "is set; name the configurer under roster.configurer instead" });
      }
      return person;
    });
    return { entries: cleaned, errors };
  } catch (error) {
    if (error instanceof RosterFileError) return { entries: [], errors: [{ row: 1, message: error.message }] };
    throw error;
  }
};
