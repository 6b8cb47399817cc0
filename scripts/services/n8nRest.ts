// n8n's REST API as the editor uses it, for tests that drive a running n8n: the owner's session (set up on a fresh
// instance, or logged in), JSON in and out, and n8n's `data` envelope unwrapped.
import { sleep } from '../lib/time';

/** The owner every test's n8n is set up with (n8n's owner setup on a fresh instance, the login on a used one). */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'Owner-password-1',
};

export class N8nRest {
	private cookie = '';

	constructor(
		readonly base: string,
		private readonly browserId = 'onoffice-tests',
	) {}

	/** Sets up the owner (a fresh n8n answers with the session cookie), or logs in as the owner when one exists. */
	async signIn(): Promise<void> {
		const setup = await this.call('POST', '/rest/owner/setup', OWNER);
		this.cookie = authCookie(setup);
		if (!this.cookie)
			this.cookie = authCookie(
				await this.call('POST', '/rest/login', {
					emailOrLdapLoginId: OWNER.email,
					password: OWNER.password,
				}),
			);
		if (!this.cookie)
			throw new Error(
				`could not sign in to n8n at ${this.base} as the owner (owner setup: HTTP ${setup.status})`,
			);
	}

	/** Publishes (2.x) or activates (1.x, which has no publish route) a workflow, and waits for its webhook. */
	async publish(workflow: { id: string; versionId: string }): Promise<void> {
		const published = await this.call('POST', `/rest/workflows/${workflow.id}/activate`, {
			versionId: workflow.versionId,
		});
		if (published.status === 404)
			await this.json('PATCH', `/rest/workflows/${workflow.id}`, {
				active: true,
				versionId: workflow.versionId,
			});
		else if (!published.ok)
			throw new Error(
				`publishing workflow ${workflow.id}: HTTP ${published.status}: ${(await published.text()).slice(0, 1000)}`,
			);
		// n8n 2.41 registers a published workflow's webhook a moment after answering the publish: its trigger count says when.
		for (let i = 0; i < 120; i++) {
			const saved = await this.json<{ triggerCount: number }>(
				'GET',
				`/rest/workflows/${workflow.id}`,
			);
			if (saved.triggerCount > 0) return;
			await sleep(250);
		}
		throw new Error(
			`workflow ${workflow.id} was published, but n8n registered no webhook for it within 30 s`,
		);
	}

	/** Creates a credential as the editor does (n8n encrypts its data); returns what a node names it by. */
	async createCredential(
		type: string,
		name: string,
		data: Record<string, unknown>,
	): Promise<{ id: string; name: string }> {
		const created = await this.json<{ id: string; name: string }>('POST', '/rest/credentials', {
			name,
			type,
			data,
		});
		return { id: created.id, name: created.name };
	}

	/** Saves a workflow as a new one (its own id dropped) and publishes it; returns n8n's id for it. */
	async publishNew(workflow: Record<string, unknown>): Promise<string> {
		const created = await this.json<{ id: string; versionId: string }>('POST', '/rest/workflows', {
			...workflow,
			id: undefined,
			active: false,
		});
		await this.publish(created);
		return created.id;
	}

	call(method: string, path: string, body?: unknown): Promise<Response> {
		return fetch(`${this.base}${path}`, {
			method,
			// The auth cookie is bound to the browser id it was issued for.
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	}

	/** The `data` of an n8n REST answer; throws with n8n's message when the call failed. */
	async json<T = any>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await this.call(method, path, body);
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} ${path}: HTTP ${response.status}: ${text.slice(0, 1500)}`);
		const parsed = text ? JSON.parse(text) : {};
		return (parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed) as T;
	}
}

function authCookie(response: Response): string {
	const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	return cookie.startsWith('n8n-auth=') ? cookie : '';
}
