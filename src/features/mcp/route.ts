import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker-provider.js";
import { type Context, Hono } from "hono";
import { BODY_MAX_BYTES, bodyCap } from "../../lib/body";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { logError } from "../../lib/log";
import { type Principal, requireAuth } from "../access/principal";
import { mayUse, WRITE } from "../access/roles";
import { TOOLS, type Tool } from "./tools";

/** The tools a caller sees: those that change something only for a role that may write (editor, admin). */
export const offeredTools = (tools: Tool[], role: Principal["role"]) =>
  tools.filter((t) => !t.write || mayUse(role, WRITE));

function toolResult(result: unknown, isError = false) {
  return {
    content: [{ type: "text" as const, text: typeof result === "string" ? result : JSON.stringify(result) }],
    isError,
  };
}

/** One server per request (stateless): the tools the caller may use, bound to this request. */
function serverFor(c: Context<AppEnv>): McpServer {
  // ajv (the SDK's default) compiles schemas with eval, which Workers refuse.
  const server = new McpServer(
    { name: "clicktrail", version: "1" },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  const offered = offeredTools(TOOLS, c.var.principal.role);
  for (const t of offered) server.registerTool(t.name, describe(t), (args: unknown) => run(c, t, args));
  return server;
}

const describe = (t: Tool) => ({
  title: t.title,
  description: t.description,
  inputSchema: t.input,
  annotations: { readOnlyHint: !t.write },
});

async function run(c: Context<AppEnv>, t: Tool, args: unknown) {
  try {
    return toolResult(await t.run(c, args));
  } catch (err) {
    // Our own errors say what to change; anything else is logged and told as nothing internal.
    if (err instanceof ApiError) return toolResult(`${err.code}: ${err.message}`, true);
    logError("mcp tool failed", t.name, err);
    return toolResult("internal: Internal error", true);
  }
}

/**
 * POST /mcp: a Model Context Protocol server over Streamable HTTP, stateless (no session, JSON
 * answers), authenticated like /api/*. Read docs/api.md for the tools.
 */
export const mcpRoutes = new Hono<AppEnv>()
  // The owner's token or an API key, exactly as /api/* (a viewer's key gets the read tools).
  .use(requireAuth())
  .use(bodyCap({ maxBytes: BODY_MAX_BYTES }))
  .post("/", async (c) => {
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await serverFor(c).connect(transport);
    return transport.handleRequest(c.req.raw);
  })
  // No session, so no stream to open (GET) or close (DELETE): the protocol's answer is 405.
  .on(["GET", "DELETE"], "/", (c) =>
    c.json({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: POST JSON-RPC" }, id: null }, 405, {
      Allow: "POST",
    }),
  );
