/**
 * The client against a busy server (emulator profile "busy"; reference "What busy production servers do"): lists
 * read to their end by position and de-duplicated, and writes whose reply was lost resolved by re-reading, never
 * sent twice.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator } from "../../emulator";
import type { Emulator } from "../../emulator";
import { VantagepointClient, VantagepointError, readAllPages, rereadPauses } from "../../lib/vantagepoint";
import { connectionFor, fastClient } from "./helpers";

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function rawServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void,
): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/api/token") {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ access_token: "t", token_type: "bearer", expires_in: 3600 }));
      return;
    }
    handler(req, res, url);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api`, close: () => server.close() };
}

describe("busy server: lists", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      profile: "busy",
      seed: { employees: 1200, userShare: 0.8 },
      busy: { lostReplyEvery: 0, readLagMs: 0 },
    });
  });
  after(() => emu.stop());

  it("reads every employee when pages are filled by a byte budget (short pages that are not the last)", async () => {
    const before = emu.state.employees.size;
    const { client } = fastClient(emu, {}, { pageSize: 500 });
    const rows = await client.list<{ Employee: string }>(client.paths.employees, {
      fieldFilter: ["Employee", "FirstName", "LastName", "EMail", "Status"],
    });
    const keys = new Set(rows.map((r) => r.Employee));
    // Records inserted while paging are read too, or not, but no one who was there before is missing.
    for (const k of emu.state.employees.keys())
      if (!k.startsWith("ZB")) assert.ok(keys.has(k), `missing ${k}`);
    assert.equal(keys.size, rows.length, "no row twice");
    assert.ok(rows.length >= before);
    assert.equal(client.counters.listed["/employee"], rows.length);
    // Pages were short: far more requests than ceil(N / 500) + 1.
    assert.ok(client.counters.listCalls > Math.ceil(before / 500) + 1, String(client.counters.listCalls));
    client.close();
  });

  it("de-duplicates rows that shift into the next page while someone inserts records", async () => {
    const pages = [
      [{ Username: "a" }, { Username: "b" }],
      // "x" was inserted before the position: "b" comes again, "x" is skipped by this read
      [{ Username: "B " }, { Username: "c" }],
      [],
    ];
    let call = 0;
    const read = await readAllPages(async () => pages[call++] ?? [], {
      pageSize: 2,
      keyOf: (r) => r.Username,
    });
    assert.deepEqual(
      read.rows.map((r) => r.Username),
      ["a", "B ", "c"],
    );
    assert.equal(read.duplicates, 1);
    assert.equal(read.pages, 3);
  });

  it("reads the list again when rows came twice, and merges both reads", async () => {
    let listCalls = 0;
    const table = ["e1", "e2", "e3", "e4", "e5"];
    const server = await rawServer((_req, res, url) => {
      listCalls++;
      const offset = Number(url.searchParams.get("offset"));
      const limit = Number(url.searchParams.get("limit"));
      // After the first page, a record is inserted at the front (the table moved).
      if (listCalls === 2) table.unshift("e0");
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(table.slice(offset, offset + limit).map((Employee) => ({ Employee }))));
    });
    try {
      const client = new VantagepointClient({ ...connectionFor(emu), url: server.url, pageSize: 2 });
      const rows = await client.list<{ Employee: string }>("/employee");
      assert.deepEqual(rows.map((r) => r.Employee).sort(), ["e0", "e1", "e2", "e3", "e4", "e5"]);
      // first read 4 pages (2+2+2+empty) then a whole second read (3 full pages + empty)
      assert.equal(listCalls, 8);
      client.close();
    } finally {
      server.close();
    }
  });

  it("takes everything from a server that ignores pageSize and offset (answers more than asked)", async () => {
    const all = Array.from({ length: 120 }, (_, i) => ({ Employee: String(i).padStart(5, "0") }));
    let calls = 0;
    const server = await rawServer((_req, res) => {
      calls++;
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(all));
    });
    try {
      const client = new VantagepointClient({ ...connectionFor(emu), url: server.url, pageSize: 50 });
      const rows = await client.list<{ Employee: string }>("/employee");
      assert.equal(rows.length, 120);
      assert.equal(calls, 2);
      client.close();
    } finally {
      server.close();
    }
  });

  it("fails, rather than plan from part of it, when the server honours the size but ignores offset", async () => {
    const all = Array.from({ length: 120 }, (_, i) => ({ Employee: String(i).padStart(5, "0") }));
    const server = await rawServer((_req, res, url) => {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(all.slice(0, Number(url.searchParams.get("limit")))));
    });
    try {
      const client = new VantagepointClient({ ...connectionFor(emu), url: server.url, pageSize: 50 });
      await assert.rejects(client.list("/employee"), (e: unknown) => {
        assert.ok(e instanceof VantagepointError);
        assert.match(e.message, /could not be read to its end: .*ignores offset.*connection\.pageSize/);
        return true;
      });
      client.close();
    } finally {
      server.close();
    }
  });
});

describe("busy server: writes whose reply was lost", () => {
  it("re-reads a create whose reply was a 502 after it committed, and never sends it twice", async () => {
    const emu = await startEmulator({
      profile: "busy",
      busy: { lostReplyEvery: 1, lostReplyKinds: ["502"], readLagMs: 0 },
    });
    try {
      const { client } = fastClient(emu);
      const record = {
        Employee: "N0001",
        FirstName: "New",
        LastName: "Person",
        EMail: "new.person@contoso.example",
      };
      const made = await client.create<{ Employee: string }>(client.paths.employees, record, () =>
        client.getOne(client.paths.employees, "N0001"),
      );
      assert.equal(made?.Employee, "N0001");
      assert.equal(emu.counters.byRoute["POST /employee"], 1);
      assert.equal(emu.busy!.lostReplies["502"], 1);
      assert.equal(client.counters.unknownOutcomes, 1);
      client.close();
    } finally {
      await emu.stop();
    }
  });

  it("keeps re-reading while reads lag, then takes the record: one POST", async () => {
    const emu = await startEmulator({
      profile: "busy",
      busy: { lostReplyEvery: 1, lostReplyKinds: ["reset"], readLagMs: 300 },
    });
    try {
      const { client } = fastClient(emu, { sleep: realSleep }, { readLagMs: 2000 });
      const rows = await Promise.all([
        client.create<{ EMail: string }>(
          client.paths.employees,
          { Employee: "N0002", FirstName: "A", LastName: "B", EMail: "a.b@contoso.example" },
          () => client.getOne(client.paths.employees, "N0002"),
        ),
      ]);
      assert.equal(rows[0]?.EMail, "a.b@contoso.example");
      assert.equal(emu.counters.byRoute["POST /employee"], 1);
      assert.ok((emu.counters.byRoute["GET /employee/{key}"] ?? 0) >= 2, "re-read more than once");
      client.close();
    } finally {
      await emu.stop();
    }
  });

  for (const kind of ["503", "504"] as const) {
    it(`a ${kind} to a create is resolved by re-reading, never by sending it again`, async () => {
      const emu = await startEmulator({
        profile: "busy",
        busy: { lostReplyEvery: 1, lostReplyKinds: [kind], readLagMs: 0 },
      });
      try {
        const { client } = fastClient(emu);
        await client.create(
          client.paths.employees,
          { Employee: "N0003", FirstName: "C", LastName: "D", EMail: "c.d@contoso.example" },
          () => client.getOne(client.paths.employees, "N0003"),
        );
        assert.equal(emu.counters.byRoute["POST /employee"], 1);
        client.close();
      } finally {
        await emu.stop();
      }
    });
  }

  it('stops the person with "the reply was lost; re-run in a minute" when the record never shows: no second POST', async () => {
    const emu = await startEmulator();
    try {
      emu.faults.add({ kind: "html", status: 502, method: "POST", path: "/employee" });
      const { client, delays } = fastClient(emu, {}, { readLagMs: 4000 });
      await assert.rejects(
        client.create(
          client.paths.employees,
          { Employee: "N0004", EMail: "x@contoso.example" },
          async () => undefined,
        ),
        (e: unknown) => {
          assert.ok(e instanceof VantagepointError);
          assert.equal(e.kind, "maybe-landed");
          assert.match(
            e.message,
            /reply was lost.*4 s of re-reading \(connection\.readLagMs\).*not sent again.*Re-run in a minute/,
          );
          return true;
        },
      );
      assert.equal(emu.counters.byRoute["POST /employee"], 1);
      assert.deepEqual(delays, rereadPauses(4000));
      assert.deepEqual(rereadPauses(4000), [250, 500, 1000, 2000, 250]);
      client.close();
    } finally {
      await emu.stop();
    }
  });

  it('"already exists" is success when the record there is the one the create would have made', async () => {
    const emu = await startEmulator();
    try {
      const { client } = fastClient(emu);
      const existing = emu.state.employees.get("00001")!;
      const got = await client.create<Record<string, unknown>>(
        client.paths.employees,
        { Employee: "00001", EMail: existing.EMail },
        async () =>
          (await client.getOne<{ EMail: string }>(client.paths.employees, "00001"))?.EMail === existing.EMail
            ? existing
            : undefined,
      );
      assert.equal(got?.Employee, "00001");
      await assert.rejects(
        client.create(
          client.paths.employees,
          { Employee: "00001", EMail: "someone.else@contoso.example" },
          async () => undefined,
        ),
        /already exists/,
      );
      client.close();
    } finally {
      await emu.stop();
    }
  });
});
