// n8n's editor as npm run test:ui (scripts/ui/run.ts) drives it: a page object over n8n 2.41.1's own test ids.
import { isDeepStrictEqual } from 'util';
import type { Locator, Page } from 'playwright-core';

import { NODE_TYPE } from '../services/uploadWebhook';

/** The parts of n8n's editor the test uses, by n8n's own test ids (see the n8n reference's notes). */
export class Editor {
	constructor(
		private readonly page: Page,
		private readonly url: string,
	) {}

	/** A new workflow, the node creator, this node, and one of its actions; waits for the node panel. */
	async addNode(action: string, newWorkflow = true): Promise<void> {
		const page = this.page;
		if (newWorkflow) {
			await page.goto(`${this.url}/workflow/new`);
			await page.getByTestId('canvas-wrapper').waitFor({ timeout: 60000 });
		}
		await page
			.getByTestId(newWorkflow ? 'canvas-plus-button' : 'node-creator-plus-button')
			.first()
			.click();
		await page.getByTestId('node-creator-search-bar').fill('onOffice');
		await page
			.getByTestId('node-creator-item-name')
			.getByText('onOffice File Upload', { exact: true })
			.click();
		await page.getByText(action).first().click();
		await page.getByTestId('ndv').waitFor();
	}

	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`${this.url}/workflow/${id}`);
		await this.page.getByTestId('canvas-wrapper').waitFor({ timeout: 60000 });
		await this.page.locator('[data-test-id="canvas-node"]').first().waitFor();
	}

	/** Opens a node on the canvas by its name. */
	async openNode(name: string): Promise<void> {
		await this.page
			.locator('[data-test-id="canvas-node"]')
			.filter({ hasText: name })
			.first()
			.dblclick();
		await this.page.getByTestId('ndv').waitFor();
	}

	async closeNode(): Promise<void> {
		await this.page.getByTestId('ndv-close-button').first().click();
		await this.page.getByTestId('ndv').waitFor({ state: 'hidden' });
	}

	/** Each node on the canvas: its name and the subtitle under it. */
	async subtitles(): Promise<Record<string, string>> {
		const texts = await this.page.locator('[data-test-id="canvas-node"]').allInnerTexts();
		// A node with an error output labels its outputs "Success" and "Error"; those lines are not its name or subtitle.
		const lines = (text: string) =>
			text
				.split('\n')
				.map((line) => line.trim())
				.filter((line) => line !== '' && line !== 'Success' && line !== 'Error');
		return Object.fromEntries(texts.map(lines).map(([name, ...rest]) => [name, rest.join(' ')]));
	}

	/** "onOffice File Upload node version 2 (Latest)", from the panel's Settings tab. */
	async nodeVersion(): Promise<string> {
		return ((await this.page.getByTestId('node-version').textContent()) ?? '')
			.replace(/\s+/g, ' ')
			.trim();
	}

	/** Drags the right edge of the node panel's parameter column by `px`; n8n keeps the width for later panels. */
	async widenParameters(px: number): Promise<void> {
		const handles = await this.page
			.getByTestId('ndv')
			.getByTestId('resize-handle')
			.evaluateAll((els) =>
				els.map((e) => ({
					right: /_right_/.test(e.className),
					box: e.getBoundingClientRect().toJSON() as {
						x: number;
						y: number;
						width: number;
						height: number;
					},
				})),
			);
		const edge = handles.find((h) => h.right && h.box.height > 300);
		if (!edge) throw new Error('the node panel has no right edge to drag');
		const before = (await this.page.getByTestId('node-parameters').boundingBox())!.width;
		const y = edge.box.y + edge.box.height / 2;
		await this.page.mouse.move(edge.box.x + edge.box.width / 2, y);
		await this.page.mouse.down();
		await this.page.mouse.move(edge.box.x + px, y, { steps: 10 });
		await this.page.mouse.up();
		const after = (await this.page.getByTestId('node-parameters').boundingBox())!.width;
		if (after < before + px / 2)
			throw new Error(`dragging the node panel's edge left it ${after} px wide (was ${before})`);
	}

	/** The parameter column of the node panel, from its tabs down to the parameter `until` (for a screenshot). */
	async parameterPanel(until: string): Promise<Clip> {
		const tabs = (await this.page.getByTestId('tab-params').boundingBox())!;
		const panel = (await this.page.getByTestId('node-parameters').boundingBox())!;
		const last = (await this.page.getByTestId(`parameter-input-${until}`).boundingBox())!;
		const top = tabs.y - 12;
		return {
			x: panel.x - 2,
			y: top,
			width: panel.width + 4,
			height: Math.min(last.y + last.height + 16, panel.y + panel.height) - top,
		};
	}

	/** Scrolls the node panel back to its first parameter (for the screenshots). */
	async top(): Promise<void> {
		await this.page.getByTestId('ndv').getByText('Parameters', { exact: true }).first().click();
		await this.page.getByTestId('parameter-input-operation').scrollIntoViewIfNeeded();
	}

	/** The node's parameters as the panel shows them (hidden ones are not in the page). */
	async fields(): Promise<string[]> {
		const settings = new Set([
			'item',
			'field',
			'notes',
			'notesInFlow',
			'alwaysOutputData',
			'executeOnce',
			'onError',
			'retryOnFail',
		]);
		const ids = await this.page
			.getByTestId('ndv')
			.locator('[data-test-id^="parameter-input-"]')
			.evaluateAll((els) =>
				els.map((e) => e.getAttribute('data-test-id')!.replace('parameter-input-', '')),
			);
		return ids.filter((id) => !settings.has(id));
	}

	/** A parameter's label as shown (without the Fixed/Expression switch that shares the label's box on hover). */
	async label(parameter: string): Promise<string> {
		const text = await this.page
			.getByTestId('ndv')
			.locator(`label[for="${parameter}"]`)
			.first()
			.innerText();
		return text.split('\n')[0].trim();
	}

	/** A record field: its mode as shown, its value as shown, its placeholder. */
	async locator(parameter: string): Promise<{ mode: string; value: string; placeholder: string }> {
		const field = this.page.getByTestId(`resource-locator-${parameter}`);
		const input = field.getByTestId('rlc-input');
		return {
			mode: await field.getByTestId('rlc-mode-selector').locator('input').inputValue(),
			value: await input.inputValue(),
			placeholder: (await input.getAttribute('placeholder')) ?? '',
		};
	}

	/** Opens a record field's list (From List) and returns what it lists once it has loaded. */
	async openList(parameter: string): Promise<string[]> {
		await this.page.getByTestId(`resource-locator-${parameter}`).getByTestId('rlc-input').click();
		await this.page.getByTestId('rlc-item').first().waitFor();
		return this.page.getByTestId('rlc-item').allInnerTexts();
	}

	/** Types into the open list's search box; returns the list once `done` holds (or after 15 s, as it is then). */
	async search(text: string, done: (items: string[]) => boolean): Promise<string[]> {
		await this.page.getByTestId('rlc-search').fill(text);
		let items: string[] = [];
		for (let i = 0; i < 30; i++) {
			await this.page.waitForTimeout(500);
			items = await this.page.getByTestId('rlc-item').allInnerTexts();
			if (done(items)) break;
		}
		return items;
	}

	/** The modes a record field offers, as its mode switch lists them. */
	async modes(parameter: string): Promise<string[]> {
		await this.page
			.getByTestId(`resource-locator-${parameter}`)
			.getByTestId('rlc-mode-selector')
			.click();
		const options = this.page.locator('.el-popper:visible li[data-test-id^="mode-"]');
		await options.first().waitFor();
		const names = (await options.allInnerTexts()).map((t) => t.trim());
		await this.page.keyboard.press('Escape');
		await options.first().waitFor({ state: 'hidden' });
		return names;
	}

	/** Switches a record field to a mode by its name (`id`, `propertyNumber`, `email`). */
	async mode(parameter: string, mode: string): Promise<void> {
		await this.page
			.getByTestId(`resource-locator-${parameter}`)
			.getByTestId('rlc-mode-selector')
			.click();
		await this.page.locator(`.el-popper:visible li[data-test-id="mode-${mode}"]`).click();
	}

	/** Types a value into a record field (any mode but From List). */
	async type(parameter: string, value: string): Promise<void> {
		const input = this.page.getByTestId(`resource-locator-${parameter}`).getByTestId('rlc-input');
		await input.fill(value);
		await input.blur();
	}

	/**
	 * A parameter of this package's node as n8n saved the workflow (n8n 2.41 saves by itself shortly after a change):
	 * asks the REST API until it holds `expected` or 15 s have passed, and returns what it holds then.
	 */
	async saved(parameter: string, expected: unknown): Promise<unknown> {
		const id = new URL(this.page.url()).pathname.split('/')[2];
		// The REST API wants the browser's own id along with the cookie, as the editor sends it.
		const browserId = await this.page.evaluate<string>(
			'localStorage.getItem("n8n-browserId") ?? ""',
		);
		let value: unknown;
		for (let i = 0; i < 30; i++) {
			const answer = await this.page.request.get(`${this.url}/rest/workflows/${id}`, {
				headers: { 'browser-id': browserId },
			});
			const nodes =
				(
					(await answer.json()) as {
						data?: { nodes?: Array<{ type: string; parameters: Record<string, unknown> }> };
					}
				).data?.nodes ?? [];
			value = nodes.find((n) => n.type === NODE_TYPE)?.parameters[parameter];
			if (isDeepStrictEqual(value, expected)) break;
			await this.page.waitForTimeout(500);
		}
		return value;
	}

	async optionsOf(parameter: string): Promise<string[]> {
		await this.page.getByTestId(`parameter-input-${parameter}`).click();
		const popper = this.page.locator('.el-popper:visible li');
		await popper.first().waitFor();
		const names = (await popper.allInnerTexts())
			.map((t) => t.split('\n')[0].trim())
			.filter((t) => t !== '');
		await this.page.keyboard.press('Escape');
		return names;
	}

	async choose(parameter: string, option: string): Promise<void> {
		await this.page.getByTestId(`parameter-input-${parameter}`).click();
		await this.page.locator('.el-popper:visible li').filter({ hasText: option }).first().click();
	}

	/** Additional Fields > Document Attribute, then the names its list offers. */
	async documentAttributeOptions(): Promise<string[]> {
		const page = this.page;
		const add = page.getByTestId('collection-parameter-add').first();
		await add.scrollIntoViewIfNeeded();
		await add.click();
		await page
			.locator('.el-popper:visible li')
			.filter({ hasText: 'Document Attribute Name or ID' })
			.first()
			.click();
		// The Add Field menu fades out: its items must not pass for the attribute list's.
		await page
			.locator('.el-popper:visible li')
			.filter({ hasText: 'Apply Watermark' })
			.waitFor({ state: 'hidden' });
		const input = page.getByTestId('parameter-input-documentAttribute');
		await input.scrollIntoViewIfNeeded();
		await input.locator('input').first().click();
		const options = page.locator('.el-popper:visible li[role=option]');
		await options.first().waitFor();
		const names = (await options.allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await page.keyboard.press('Escape');
		return names;
	}

	/** Save (which tests the credential in 2.41); returns the failure's details, or '' when it passed. */
	async saveCredential(modal: Locator): Promise<string> {
		const before = await this.failure(modal);
		await modal.getByTestId('credential-save-button').click();
		// A banner from the save before may still be up: wait for this save's own answer.
		for (let i = 0; i < 60; i++) {
			await this.page.waitForTimeout(500);
			// A credential that tests fine is saved, and n8n may close the form.
			if (
				!(await modal.isVisible()) ||
				(await modal.getByTestId('credentials-config-container-test-success').isVisible())
			)
				return '';
			const now = await this.failure(modal);
			if (now && now !== before) return now;
		}
		throw new Error(`the credential test gave no new answer after 30 s (still: ${before})`);
	}

	private async failure(modal: Locator): Promise<string> {
		if (!(await modal.getByText('Couldn’t connect with these settings').isVisible())) return '';
		const more = modal.getByText('More details');
		if (await more.isVisible()) await more.click();
		const text = await modal.innerText();
		const start = text.indexOf('Couldn’t connect with these settings');
		return (
			text
				.slice(start, start + 600)
				.split('\n')
				.slice(1)
				.find(
					(line) => line.trim() && !['More details', 'Retry', 'Less details'].includes(line.trim()),
				)
				?.trim() ?? ''
		);
	}
}

export type Clip = { x: number; y: number; width: number; height: number };
