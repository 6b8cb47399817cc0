// An MCP client, as Claude Desktop, Cursor or any other speaks to n8n's MCP Server Trigger: the official TypeScript SDK
// (@modelcontextprotocol/sdk) over Streamable HTTP (the trigger's version 2) or SSE (version 1), with a Bearer token.
// Used by `npm run test:mcp` and `npm run test:queue`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface McpTool {
	name: string;
	description?: string;
	inputSchema: {
		type: string;
		properties?: Record<string, { type?: string; description?: string }>;
		required?: string[];
	};
}

export interface McpSession {
	tools(): Promise<McpTool[]>;
	/** Calls a tool; resolves with the text of its answer and whether the server flagged it as an error. */
	call(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
	close(): Promise<void>;
}

/**
 * Connects to an MCP server: `streamable` for a version-2 trigger (`/mcp/<path>`), `sse` for a version-1 trigger
 * (`/mcp/<path>/sse`). Rejects when the server refuses the connection (a wrong token: HTTP 403).
 */
export async function connectMcp(
	url: string,
	token: string,
	transport: 'streamable' | 'sse',
): Promise<McpSession> {
	const requestInit = { headers: { Authorization: `Bearer ${token}` } };
	const client = new Client({ name: 'onoffice-tests', version: '1.0.0' });
	const connection =
		transport === 'streamable'
			? new StreamableHTTPClientTransport(new URL(url), { requestInit })
			: new SSEClientTransport(new URL(url), { requestInit });
	await client.connect(connection);
	return {
		tools: async () => (await client.listTools()).tools as McpTool[],
		call: async (name, args) => {
			// Uploads take longer than the SDK's default of 60 s on a busy machine; n8n's own limit is 120 s.
			const result = (await client.callTool({ name, arguments: args }, undefined, {
				timeout: 115_000,
			})) as {
				content?: Array<{ type: string; text?: string }>;
				isError?: boolean;
			};
			const text = (result.content ?? []).map((c) => c.text ?? '').join('');
			return { text, isError: result.isError === true };
		},
		close: async () => {
			if (connection instanceof StreamableHTTPClientTransport)
				await connection.terminateSession().catch(() => undefined);
			await client.close();
		},
	};
}
