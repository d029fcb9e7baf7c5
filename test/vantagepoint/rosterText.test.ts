import assert from "node:assert/strict";
import type { Emulator } from "../../emulator";
import {
  ConnectRoster,
  connectRosterProvider as provider,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "../../components/vantagepoint/connectRoster";
import {
  describeRosterChanges,
  NO_ROSTER_CHANGE,
  rosterEntriesOf,
  rosterEntriesOrUndefined,
  rosterPeopleCount,
  rosterText,
  RosterTextError,
  shardOf,
  splitIntoShards,
} from "../../lib/vantagepoint";
import type { RosterEntry } from "../../lib/vantagepoint";
import { installMocks } from "../support/pulumiMocks";
import { connectionFor, useEmulator } from "./helpers";

const person = (id: string, extra: Partial<RosterEntry> = {}): RosterEntry => ({
  userId: id,
  email: `${id}@contoso.example`,
  firstName: "First",
  lastName: id,
  ...extra,
});

describe("roster text (pure)", () => {
  it("one JSON object a line, fields in a fixed order, absent fields left out; read back as written", () => {
    const entries: RosterEntry[] = [
      {
        configurer: true,
        role: "ADMIN",
        lastName: "Jones",
        firstName: "Pat",
        email: "pat@x.example",
        userId: "PJ",
      },
      {
        userId: "ann",
        email: "ann@x.example",
        firstName: 'A "quoted"',
        lastName: "Lee\nNewline",
        employee: "E1",
      },
    ];
    const text = rosterText(entries);
    assert.equal(
      text,
      '{"userId":"PJ","email":"pat@x.example","firstName":"Pat","lastName":"Jones","role":"ADMIN","configurer":true}\n' +
        '{"userId":"ann","email":"ann@x.example","firstName":"A \\"quoted\\"","lastName":"Lee\\nNewline","employee":"E1"}',
    );
    assert.deepEqual(rosterEntriesOf(text), [
      {
        userId: "PJ",
        email: "pat@x.example",
        firstName: "Pat",
        lastName: "Jones",
        role: "ADMIN",
        configurer: true,
      },
      {
        userId: "ann",
        email: "ann@x.example",
        firstName: 'A "quoted"',
        lastName: "Lee\nNewline",
        employee: "E1",
      },
    ]);
    assert.equal(rosterText([]), "");
    assert.deepEqual(rosterEntriesOf(""), []);
    assert.equal(rosterPeopleCount(text), 2);
    assert.equal(rosterPeopleCount("\n\n"), 0);
    assert.equal(rosterPeopleCount(entries), 2);
    assert.equal(rosterPeopleCount(7), undefined);
  });

  it("a list (inputs before roster text) is read as it is; anything else, or a broken line, is refused by line", () => {
    const list = [person("a")];
    assert.equal(rosterEntriesOf(list), list);
    assert.deepEqual(rosterEntriesOf(`\n${rosterText(list)}\n\n`), list, "blank lines are skipped");
    assert.throws(() => rosterEntriesOf(undefined), RosterTextError);
    assert.throws(() => rosterEntriesOf({ userId: "a" }), /roster text \(one JSON object a line\) or a list/);
    assert.throws(
      () => rosterEntriesOf(`${rosterText(list)}\n{"userId":"b",`),
      (e: Error) =>
        e instanceof RosterTextError &&
        e.message === "entries line 2 is not a JSON object; each line is one person",
    );
  });
});

describe("who a roster run changes, in words (pure)", () => {
  it("names who is added, removed and updated, compared as the server compares user IDs", () => {
    const olds = [person("bob.smith"), person("Ann.Lee"), person("carl")];
    const news = [
      person("ann.lee ", { email: "ann.new@contoso.example", lastName: "Ann.Lee" }),
      person("carl"),
      person("jane.doe"),
    ];
    assert.equal(
      describeRosterChanges(olds, news),
      "adds jane.doe; removes bob.smith; updates ann.lee (email)",
    );
    assert.equal(describeRosterChanges(news, news), NO_ROSTER_CHANGE);
    assert.equal(describeRosterChanges(undefined, [person("x"), person("y")]), "adds x, y");
  });

  it("a shard says which it is, and people whose user ID now hashes elsewhere move rather than leave", () => {
    const everyone = Array.from({ length: 40 }, (_, i) => person(`p${i}`));
    const [mine] = splitIntoShards(everyone, 4);
    const moved = everyone.find((p) => shardOf(p.userId, 4) !== 0)!;
    const gone = mine![0]!;
    const olds = [...mine!, moved];
    const news = mine!.slice(1);
    assert.equal(
      describeRosterChanges(olds, news, { index: 0, count: 4 }),
      `shard 0 of 4: removes ${gone.userId}; moves to other shards ${moved.userId}`,
    );
  });

  it("names 20 people per kind and counts the rest", () => {
    const many = Array.from({ length: 23 }, (_, i) => person(`n${String(i).padStart(2, "0")}`));
    assert.equal(
      describeRosterChanges([], many),
      `adds ${many
        .slice(0, 20)
        .map((p) => p.userId)
        .join(", ")} and 3 more`,
    );
  });
});

describe("roster text as people edit it (exact answers)", () => {
  const ann = '{"userId":"ann","email":"ann@x.example","firstName":"Ann","lastName":"Lee"}';
  const bob = '{"userId":"bob","email":"bob@x.example","firstName":"Bob","lastName":"Ray"}';
  const both = [
    { userId: "ann", email: "ann@x.example", firstName: "Ann", lastName: "Lee" },
    { userId: "bob", email: "bob@x.example", firstName: "Bob", lastName: "Ray" },
  ];

  it("reads text that starts with a blank line, or has Windows line ends and blank lines of spaces", () => {
    assert.deepEqual(rosterEntriesOf(`\n${ann}\n${bob}`), both);
    assert.deepEqual(rosterEntriesOf(`${ann}\r\n   \r\n\t\n${bob}\r\n`), both);
    assert.equal(rosterPeopleCount(`${ann}\r\n   \r\n\t\n${bob}\r\n`), 2);
    assert.equal(rosterPeopleCount(" \r\n"), 0);
  });

  it("writes an entry with no fields as an empty object, on its own line", () => {
    assert.equal(rosterText([{} as RosterEntry, both[0]!]), `{}\n${ann}`);
  });

  it("rosterEntriesOrUndefined: the entries, or undefined for text it cannot read", () => {
    assert.deepEqual(rosterEntriesOrUndefined(`${ann}\n${bob}`), both);
    assert.equal(rosterEntriesOrUndefined(`${ann}\n{"userId":`), undefined);
    assert.equal(rosterEntriesOrUndefined(42), undefined);
  });
});

describe("who a roster run changes, in words (exact answers)", () => {
  it("names people by their user ID as the server keeps it, without the padding a spreadsheet left", () => {
    assert.equal(
      describeRosterChanges(undefined, [person(" jane.doe "), person("bob\t")]),
      "adds jane.doe, bob",
    );
  });

  it("lists every field that changed for a person, comma-separated", () => {
    const before = [person("ann.lee")];
    const after = [person("ann.lee", { email: "ann.lee@fabrikam.example", lastName: "Lee-Smith" })];
    assert.equal(describeRosterChanges(before, after), "updates ann.lee (email, lastName)");
  });

  it("names exactly 20 people with no count after them", () => {
    const twenty = Array.from({ length: 20 }, (_, i) => person(`m${String(i).padStart(2, "0")}`));
    assert.equal(describeRosterChanges([], twenty), `adds ${twenty.map((p) => p.userId).join(", ")}`);
  });

  it("a roster in one shard does not say which shard it is", () => {
    assert.equal(
      describeRosterChanges([person("a")], [person("b")], { index: 0, count: 1 }),
      "adds b; removes a",
    );
  });
});

describe("ConnectRoster with roster text (emulator)", () => {
  let emu: Emulator;
  useEmulator({}, (e) => (emu = e));

  const inputs = (
    entries: RosterEntry[] | string,
    extra: Partial<ConnectRosterInputs> = {},
  ): ConnectRosterInputs => ({
    vpconnectResource: "ConnectRoster",
    connection: connectionFor(emu),
    entries,
    onDelete: "detach",
    newEmployees: { key: "sequence", prefix: "T" },
    ...extra,
  });

  it("check names the person a run adds or removes (the preview's words), and outputs never keep them", async () => {
    const before = [person("ann.lee"), person("bob.smith"), person("carl")];
    const created = await provider.create(inputs(rosterText(before)));
    const olds = created.outs as ConnectRosterOutputs;
    assert.equal(olds.changes, undefined, "a run's outputs hold no words");
    const after = [person("ann.lee"), person("carl"), person("jane.doe")];
    const checked = await provider.check!(olds, inputs(rosterText(after)));
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs!.changes, "adds jane.doe; removes bob.smith");
    const diff = await provider.diff!(created.id, olds, checked.inputs!);
    assert.equal(diff.changes, true);
    const updated = await provider.update!(created.id, olds, checked.inputs!);
    assert.equal((updated.outs as ConnectRosterOutputs).changes, undefined);
    assert.ok(emu.state.users.get("jane.doe"), "the added person was seeded from roster text");
  });

  it("a stack whose state holds the list form sees no change for the same people as text: no update, no write", async () => {
    const everyone = [person("ann.lee"), person("bob.smith")];
    const created = await provider.create(inputs(everyone));
    const olds = created.outs as ConnectRosterOutputs;
    emu.resetCounters();
    const checked = await provider.check!(olds, inputs(rosterText(everyone)));
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs!.changes, NO_ROSTER_CHANGE);
    const diff = await provider.diff!(created.id, olds, checked.inputs!);
    assert.equal(diff.changes, false);
    assert.equal(emu.counters.requests, 0);
  });

  it("roster text that cannot be read fails check naming the line, and nothing is taken for an empty roster", async () => {
    const created = await provider.create(inputs([person("ann.lee")]));
    const checked = await provider.check!(
      created.outs as ConnectRosterOutputs,
      inputs(`${rosterText([person("ann.lee")])}\nnot json`),
    );
    assert.deepEqual(checked.failures, [
      { property: "entries", reason: "entries line 2 is not a JSON object; each line is one person" },
    ]);
    assert.equal(checked.inputs!.changes, undefined);
    const badEmail = await provider.check!(
      {} as ConnectRosterInputs,
      inputs(rosterText([person("x", { email: "nope" })])),
    );
    assert.deepEqual(
      badEmail.failures!.map((f) => f.property),
      ["entries[0].email"],
    );
  });
});

describe("ConnectRoster in a preview (mocks playing the engine)", () => {
  const connection = {
    url: "http://127.0.0.1:9/api",
    database: "VP",
    username: "u",
    password: "p",
    clientId: "c",
    clientSecret: "s",
  };

  /** Registers one roster shard in a preview whose outputs are what the provider's check gave; returns the logs. */
  async function previewLogs(olds: RosterEntry[], news: RosterEntry[]): Promise<string[]> {
    const shard = { index: 2, count: 4 };
    // What the engine does in a preview of an update: the provider checks the old inputs against the new, and the
    // checked inputs stand for the outputs.
    const checked = await provider.check!(
      { ...({} as ConnectRosterInputs), entries: rosterText(olds), shard },
      {
        vpconnectResource: "ConnectRoster",
        connection,
        entries: rosterText(news),
        onDelete: "detach",
        shard,
      },
    );
    const harness = await installMocks({
      preview: true,
      outputs: (args) =>
        args.inputs.vpconnectResource === "ConnectRoster" ? { changes: checked.inputs!.changes } : undefined,
    });
    const logged: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void logged.push(a.map(String).join(" "));
    try {
      const roster = new ConnectRoster("site-roster-2", { connection, entries: news, shard });
      await new Promise<void>((resolve) => roster.changes.apply(() => resolve()));
      await harness.settle();
    } finally {
      console.log = log;
      harness.restore();
    }
    return logged.filter((l) => l.includes("Vantagepoint roster"));
  }

  it("logs who the shard's run adds and removes, on the roster resource", async () => {
    // Three people whose user IDs hash to shard 2 of 4.
    const [stays, leaves, joins] = Array.from({ length: 40 }, (_, i) => `person${i}`)
      .filter((id) => shardOf(id, 4) === 2)
      .map((id) => person(id));
    const logs = await previewLogs([stays!, leaves!], [stays!, joins!]);
    assert.deepEqual(logs, [
      `info: [runtime] Vantagepoint roster: shard 2 of 4: adds ${joins!.userId}; removes ${leaves!.userId}`,
    ]);
  });

  it("logs nothing for a shard nobody changes", async () => {
    const same = [person("ann.lee")];
    assert.deepEqual(await previewLogs(same, same), []);
  });
});
