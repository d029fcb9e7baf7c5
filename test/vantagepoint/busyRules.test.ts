/**
 * The busy-server rules with exact answers (issue 23): lost replies and re-reads (lib/vantagepoint/unknownOutcome)
 * and reading a list to the end (lib/vantagepoint/paging), the way a loaded server and a moving table behave.
 */
import assert from "node:assert/strict";
import { MAX_PAGES, PagingError, readAllPages, rowKey } from "../../lib/vantagepoint/paging";
import type { PagePosition } from "../../lib/vantagepoint/paging";
import {
  alreadyExists,
  DEFAULT_READ_LAG_MS,
  MAX_READ_LAG_MS,
  NOT_SENT_CODES,
  replyLostHint,
  rereadPauses,
  rereadWithin,
  unknownOutcomeStatus,
} from "../../lib/vantagepoint/unknownOutcome";
import { roleModelOf, versionAtLeast } from "../../lib/vantagepoint/roleModel";

describe("unknown outcomes (exact answers)", () => {
  it("the lag window defaults to 10 s and is bounded at 10 minutes", () => {
    assert.deepEqual([DEFAULT_READ_LAG_MS, MAX_READ_LAG_MS], [10_000, 600_000]);
  });

  it("pauses double from 250 ms to 2 s and add up to the window exactly; no window, no pause", () => {
    assert.deepEqual(rereadPauses(10_000), [250, 500, 1000, 2000, 2000, 2000, 2000, 250]);
    assert.deepEqual(rereadPauses(250), [250]);
    assert.deepEqual(rereadPauses(100.9), [100]);
    assert.deepEqual(rereadPauses(0), []);
    assert.deepEqual(rereadPauses(-5), []);
  });

  it("re-reads now, then after each pause, and stops at the first sighting", async () => {
    const slept: number[] = [];
    let reads = 0;
    const found = await rereadWithin(
      async () => (++reads === 3 ? { Employee: "E1" } : undefined),
      4000,
      async (ms) => void slept.push(ms),
    );
    assert.deepEqual([found, reads, slept], [{ Employee: "E1" }, 3, [250, 500]]);
    const now = await rereadWithin(
      async () => "there",
      4000,
      async () => assert.fail("no pause when found at once"),
    );
    assert.equal(now, "there");
  });

  it("a record that never shows is undefined after one read per pause, plus the first", async () => {
    let reads = 0;
    const slept: number[] = [];
    const found = await rereadWithin(
      async () => void reads++,
      1000,
      async (ms) => void slept.push(ms),
    );
    assert.deepEqual([found, reads, slept], [undefined, 4, [250, 500, 250]]);
  });

  it("502, 503 and 504 leave a write's outcome unknown; 500 and 429 do not", () => {
    assert.deepEqual(
      [500, 501, 502, 503, 504, 505, 429].map((s) => [s, unknownOutcomeStatus(s)]),
      [
        [500, false],
        [501, false],
        [502, true],
        [503, true],
        [504, true],
        [505, false],
        [429, false],
      ],
    );
  });

  it("only a refused connection or a failed name lookup means the request was never sent", () => {
    assert.deepEqual([...NOT_SENT_CODES].sort(), ["EAI_AGAIN", "ECONNREFUSED", "ENOTFOUND"]);
    assert.equal(NOT_SENT_CODES.has("ECONNRESET"), false);
  });

  it("'already exists' and 'Duplicate' in a 400 or 409 are the record being there; other statuses are not", () => {
    assert.equal(alreadyExists(400, "Employee E1 already exists"), true);
    assert.equal(alreadyExists(409, "Duplicate key value"), true);
    assert.equal(alreadyExists(409, "conflict"), false);
    assert.equal(alreadyExists(409, undefined), false);
    assert.equal(alreadyExists(500, "duplicate"), false);
    assert.equal(alreadyExists(422, "already exists"), false);
  });

  it("the lost-reply message gives the window in seconds to one decimal", () => {
    assert.equal(
      replyLostHint(12_345),
      "The reply was lost, and the record did not show in 12.3 s of re-reading (connection.readLagMs); it was not sent again, so nothing was written twice. Re-run in a minute: the next run finds it if it was written.",
    );
  });
});

describe("paging (exact answers)", () => {
  /** A fetch that answers from a script and records the positions asked for. */
  const script = <T>(pages: T[][]) => {
    const asked: PagePosition[] = [];
    let i = 0;
    return { asked, fetch: async (p: PagePosition) => (asked.push(p), pages[i++] ?? []) };
  };

  it("row keys: text by the identifier rule, anything else by its JSON", () => {
    assert.equal(rowKey(" Alex.Lee "), "id:alex.lee");
    assert.equal(rowKey({ a: 1 }), 'json:{"a":1}');
    assert.equal(rowKey(undefined), "json:null");
    assert.equal(rowKey(7), "json:7");
  });

  it("a short page is not the end: the next page starts after the rows it held, until an empty page", async () => {
    const s = script([[1, 2, 3], [4], [5, 6], []]);
    const read = await readAllPages(s.fetch, { pageSize: 3 });
    assert.deepEqual(read, { rows: [1, 2, 3, 4, 5, 6], pages: 4, duplicates: 0 });
    assert.deepEqual(s.asked, [
      { offset: 0, limit: 3 },
      { offset: 3, limit: 3 },
      { offset: 4, limit: 3 },
      { offset: 6, limit: 3 },
    ]);
  });

  it("an empty list is one request", async () => {
    assert.deepEqual(await readAllPages(script<number>([[]]).fetch, { pageSize: 50 }), {
      rows: [],
      pages: 1,
      duplicates: 0,
    });
  });

  it("a row that comes twice is kept once, the later copy in the first place", async () => {
    const s = script([
      [
        { k: "a", v: 1 },
        { k: "b", v: 1 },
      ],
      [
        { k: "A", v: 2 },
        { k: "c", v: 1 },
      ],
      [],
    ]);
    const read = await readAllPages(s.fetch, { pageSize: 2, keyOf: (r) => r.k });
    assert.deepEqual(read, {
      rows: [
        { k: "A", v: 2 },
        { k: "b", v: 1 },
        { k: "c", v: 1 },
      ],
      pages: 3,
      duplicates: 1,
    });
  });

  it("a server that ignores offset and size answers everything it has: that is the list", async () => {
    const all = [1, 2, 3, 4, 5];
    let calls = 0;
    const read = await readAllPages(async () => (calls++, all), { pageSize: 2 });
    assert.deepEqual([read.rows, read.pages, read.duplicates, calls], [all, 2, 0, 2]);
  });

  it("a server that ignores offset but keeps the size cannot be read to the end: it says so", async () => {
    await assert.rejects(
      readAllPages(async () => [1, 2], { pageSize: 2 }),
      (e: Error) => {
        assert.ok(e instanceof PagingError);
        assert.equal(e.name, "PagingError");
        assert.equal(
          e.message,
          "the server answered the first 2 rows again when asked for the rows after them (it ignores offset), so the rest of the list cannot be read; set connection.pageSize above the list's size",
        );
        return true;
      },
    );
  });

  it("the same first rows in another order are new rows, not the first page again", async () => {
    const read = await readAllPages(script([[1, 2], [2, 1], []]).fetch, { pageSize: 2 });
    assert.deepEqual(read, { rows: [1, 2], pages: 3, duplicates: 2 });
  });

  it("a later page holding only the first page's first rows is rows that moved, not the first page again", async () => {
    // Two people inserted ahead of the reading position push the first two rows into the second page; the page is
    // shorter than the first, so it is not the server repeating page one.
    const read = await readAllPages(script([["a", "b", "c"], ["A", "b"], []]).fetch, { pageSize: 3 });
    assert.deepEqual(read, { rows: ["A", "b", "c"], pages: 3, duplicates: 2 });
  });

  it("a list that never ends stops after maxPages (100,000 by default)", async () => {
    assert.equal(MAX_PAGES, 100_000);
    let n = 0;
    await assert.rejects(
      readAllPages(async () => [n++], { pageSize: 1, maxPages: 3 }),
      { name: "PagingError", message: "the list did not end after 3 pages (no empty page came back)" },
    );
    assert.equal(n, 3);
  });
});

describe("role model (exact answers)", () => {
  it("versions compare as major.minor numbers: 7.10 is after 7.9, 2025.1 after 7.0, 6.9 before 7.0", () => {
    assert.deepEqual(
      [
        ["7.10", "7.9"],
        ["2025.1", "7.0"],
        ["7.0", "7.0"],
        ["6.9", "7.0"],
        ["7.0", "7.1"],
        ["8.0", "7.5"],
        ["7", "7.0"],
      ].map(([v, min]) => versionAtLeast(v!, min!)),
      [true, true, true, false, false, true, true],
    );
  });

  it("the evidence names the role the probe read, or says there was none", () => {
    assert.deepEqual(roleModelOf({ Role: "CONNECT", connect: "Y" } as never), {
      version: "7.0",
      label: "7.0 or later",
      source: "probed",
      evidence: "role CONNECT has a Connect field",
      permissionField: "Connect",
      administratorType: true,
    });
    assert.equal(
      roleModelOf({ Role: 5, ConnectAdministration: "Y" } as never).evidence,
      "the role record has ConnectAdministration and no Connect field",
    );
    assert.deepEqual(roleModelOf({ Role: "X" } as never), {
      version: "7.0",
      label: "7.0 or later",
      source: "assumed",
      evidence:
        "role X has neither a Connect nor a ConnectAdministration field; set vantagepoint.version (doctor: --vantagepoint-version) to say which",
      permissionField: "Connect",
      administratorType: true,
    });
    assert.equal(
      roleModelOf(undefined).evidence,
      "no role record could be read; set vantagepoint.version (doctor: --vantagepoint-version) to say which",
    );
  });
});
