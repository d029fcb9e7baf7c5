/** Fault injection for the emulator: which request a fault hits, and what the reply then looks like. */
import type * as http from "node:http";
import { htmlPage, send, sendHtml } from "./reply";
import type { Replies } from "./reply";

export type FaultKind =
  | "429" // Too Many Requests with Retry-After
  | "503" // Service Unavailable (with Retry-After when retryAfter is set)
  | "reset" // connection reset without a reply
  | "slow" // reply after delayMs (then normal)
  | "expireToken" // every access token expires before this request is handled
  | "html" // IIS-style HTML error page (status, default 502)
  | "malformed" // 200 with a body that is not JSON
  | "truncated" // 200 with the real JSON cut in half
  | "wrongType" // 200 with a JSON string where records were expected
  | "huge" // 200 with a body of hugeBytes (default 70 MB)
  | "redirect" // 302 to another host (which records any credentials it receives)
  | "echoSecrets" // 400 whose message repeats the credentials the request carried
  | "restart"; // simulated restart: state back to seed, tokens revoked, then the request is handled

export interface FaultSpec {
  kind: FaultKind;
  /** HTTP method to match (any when left out). */
  method?: string;
  /** Path to match, relative to the API root without query: a string prefix or a RegExp. */
  path?: string | RegExp;
  /** Fire from the nth matching request on (1-based, default 1). */
  nth?: number;
  /** How many times to fire (default 1; Infinity for always). */
  count?: number;
  /** Seconds for Retry-After (429 default 1; 503 none unless set). */
  retryAfter?: number;
  /** Delay for "slow" in ms (default 2000). */
  delayMs?: number;
  /** Status for "html" (default 502). */
  status?: number;
  /** Handle the request (write lands) before failing the reply: for reset, 503, malformed, truncated. */
  afterHandling?: boolean;
  /** Size of the "huge" body in bytes. */
  hugeBytes?: number;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  seen: number;
  fired: number;
}

/** The faults in force, and which one (if any) a request triggers. */
export class FaultRegistry {
  private nextId = 0;
  private list: ActiveFault[] = [];

  add(spec: FaultSpec): number {
    const f: ActiveFault = { ...spec, id: ++this.nextId, seen: 0, fired: 0 };
    this.list.push(f);
    return f.id;
  }
  remove(id: number): void {
    this.list = this.list.filter((f) => f.id !== id);
  }
  clear(): void {
    this.list = [];
  }
  get active(): ReadonlyArray<Readonly<ActiveFault>> {
    return this.list;
  }

  /** Every matching fault sees the request; the first one due fires. */
  pick(method: string, rel: string): ActiveFault | undefined {
    let chosen: ActiveFault | undefined;
    for (const f of this.list) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path !== undefined) {
        if (
          typeof f.path === "string" ? !rel.toLowerCase().startsWith(f.path.toLowerCase()) : !f.path.test(rel)
        )
          continue;
      }
      f.seen++;
      if (!chosen && f.seen >= (f.nth ?? 1) && f.fired < (f.count ?? 1)) {
        f.fired++;
        chosen = f;
      }
    }
    return chosen;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a fault needs from the server around it. */
export interface FaultContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  reply: Replies;
  /** Handles the request for real, into the given response. */
  process: (r: http.ServerResponse) => unknown;
  expireTokens: () => void;
  restart: () => void;
  /** Where "redirect" points: the other host's URL for this request. */
  redirectTarget: string;
}

/** Runs the real handler against a throwaway response to make a write land; returns its body. */
export async function processInto(fn: (r: http.ServerResponse) => unknown): Promise<string | undefined> {
  let captured = "";
  const fake = {
    destroyed: false,
    headersSent: false,
    writeHead: () => fake,
    write: (t: string | Buffer) => {
      captured += String(t);
      return true;
    },
    end: (t?: string | Buffer) => {
      if (t !== undefined) captured += String(t);
    },
  };
  await fn(fake as unknown as http.ServerResponse);
  return captured;
}

function pumpHuge(res: http.ServerResponse, total: number) {
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(total) });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once("drain", pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

/**
 * Applies a fault. Returns "replied" when the fault answered the request, "continue" when the request must
 * still be handled normally (slow, expireToken, echoSecrets, restart).
 */
export async function applyFault(fault: ActiveFault, ctx: FaultContext): Promise<"replied" | "continue"> {
  const { res, reply } = ctx;
  switch (fault.kind) {
    case "429":
      reply.error(res, 429, "Too many requests.", "Try again later.", {
        "Retry-After": String(fault.retryAfter ?? 1),
      });
      return "replied";
    case "503":
      if (fault.afterHandling) await processInto(ctx.process);
      reply.error(
        res,
        503,
        "Service Unavailable",
        "The service is temporarily unavailable.",
        fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {},
      );
      return "replied";
    case "reset":
      if (fault.afterHandling) await processInto(ctx.process);
      ctx.req.socket.destroy();
      return "replied";
    case "slow":
      await sleep(fault.delayMs ?? 2000);
      return "continue";
    case "expireToken":
      ctx.expireTokens();
      return "continue";
    case "html": {
      const status = fault.status ?? 502;
      sendHtml(
        res,
        status,
        htmlPage(
          status,
          "Web server received an invalid response while acting as a gateway or proxy server.",
          "There is a problem with the page you are looking for, and it cannot be displayed.",
        ),
      );
      return "replied";
    }
    case "malformed":
      if (fault.afterHandling) await processInto(ctx.process);
      send(res, 200, '{"message": "ok", "records": [ {"Employee": "0001", ');
      return "replied";
    case "truncated": {
      const captured = await processInto(ctx.process);
      const text = captured ?? "[]";
      send(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return "replied";
    }
    case "wrongType":
      send(res, 200, JSON.stringify("OK"));
      return "replied";
    case "huge":
      pumpHuge(res, fault.hugeBytes ?? 70 * 1024 * 1024);
      return "replied";
    case "redirect":
      res.writeHead(302, { Location: ctx.redirectTarget });
      res.end();
      return "replied";
    case "echoSecrets":
      return "continue";
    case "restart":
      ctx.restart();
      return "continue";
  }
}
