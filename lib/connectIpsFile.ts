/**
 * The shapes Connect's outbound address list is kept in: the reviewed copy `connect-ips.json` (read by the policy
 * pack, written by `vpconnect ips`) and a line of a saved page that is not an acceptable range. Types only, so
 * lib/ and the standalone policy pack share them without lib/ importing the pack.
 */

/** Where a copy came from. */
export interface ConnectIpsProvenance {
  /** The page or file it was copied from (a URL or a description). */
  source: string;
  /** The date it was copied, YYYY-MM-DD. */
  copiedOn: string;
  /** Who compared it with Deltek's page and approved it. */
  reviewedBy: string;
  /** True when the list is not Deltek's (e.g. the documentation ranges the bundled stacks use). */
  placeholder?: boolean;
  /** Free text (for a placeholder: how to replace it). */
  note?: string;
}

/** The file's content. */
export interface ConnectIpsCopyFile {
  connectIps: string[];
  provenance: ConnectIpsProvenance;
}

/** Something that looked like an address but is not acceptable. */
export interface RangeProblem {
  line: number;
  text: string;
  message: string;
}
