// npm run test:ui: the node as users meet it, in n8n 2.41.1's editor in Debian's Chromium (driven by
// playwright-core; no browser download), with the packed package and the sandbox. Saves screenshots.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { chromium, selectors, type Locator, type Page } from 'playwright-core';

import { startSandbox } from '../../test/sandbox/server';
import { importIntoN8n, installN8n, root, userFolderWithPackage } from '../e2e/n8n';
import { ensureDebianPackage } from '../services/apt';
import { OWNER, QUIET_EDITOR, serverEnv, startN8n } from '../services/n8nServer';

// The screenshots the README shows.
const shots = join(root, 'docs');
let passed = 0;
function check(condition: boolean, message: string): void {
	if (!condition) throw new Error(`ui check failed: ${message}`);
	console.log(`ok  ${message}`);
	passed += 1;
}

async function main(): Promise<void> {
	const started = Date.now();
	ensureDebianPackage('chromium', 'chromium', 'The editor test (a real browser)');
	const install = await installN8n();
	const sandbox = await startSandbox();
	const { work, home } = userFolderWithPackage();
	mkdirSync(shots, { recursive: true });
	// n8n's test ids are data-test-id.
	selectors.setTestIdAttribute('data-test-id');
	let server: Awaited<ReturnType<typeof startN8n>> | undefined;
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const workflows = join(work, 'workflows');
		mkdirSync(workflows);
		writeFileSync(join(work, 'credentials.json'), JSON.stringify([{ id: 'onofficeSandbox', name: 'onOffice sandbox', type: 'onOfficeApi', data: sandbox.credentials }]));
		copyFileSync(join(root, 'examples', 'email-attachments-to-estate.json'), join(workflows, 'mail.json'));
		const env = await serverEnv(install, home, QUIET_EDITOR);
		await importIntoN8n(install, env, join(work, 'credentials.json'), workflows);
		server = await startN8n(install, env);
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();
		page.setDefaultTimeout(30000);
		const setup = await context.request.post(`${server.url}/rest/owner/setup`, { data: OWNER, headers: { 'browser-id': 'ui' } });
		check(setup.ok(), `the owner is set up (HTTP ${setup.status()})`);
		// n8n binds its auth cookie to the browser's own id: sign in through the form, as a user does.
		await page.goto(`${server.url}/signin`);
		await page.getByLabel('Email').fill(OWNER.email);
		await page.getByLabel('Password').fill(OWNER.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		const editor = new Editor(page, server.url);

		// Upload File: the estate-only fields appear for Estate and not for the other modules.
		await editor.addNode('Upload a file to a record');
		const estateFields = await editor.fields();
		check(['relatedRecordId', 'onDuplicate', 'fileType', 'title'].every((f) => estateFields.includes(f)), `Upload File to an estate shows record, On Duplicate, File Type and Title: ${estateFields.join(', ')}`);
		check((await page.getByTestId('parameter-input-relatedRecordId').locator('input').getAttribute('placeholder')) === '409 or {{ $json.estateId }}', 'Related Record ID starts empty with the placeholder "409 or {{ $json.estateId }}"');
		for (const [module, shown, hidden] of [
			['Address', ['onDuplicate'], ['fileType', 'title']],
			['Agents Log', [], ['onDuplicate', 'fileType', 'title']],
			['Task', [], ['onDuplicate', 'fileType', 'title']],
		] as const) {
			await editor.choose('module', module);
			const fields = await editor.fields();
			check(shown.every((f) => fields.includes(f)) && hidden.every((f) => !fields.includes(f)), `Module ${module}: ${shown.length ? `${shown.join(', ')} shown, ` : ''}${hidden.join(', ')} hidden (${fields.join(', ')})`);
		}
		await editor.choose('module', 'Estate');
		const attributes = await editor.documentAttributeOptions();
		check(
			JSON.stringify(attributes) === JSON.stringify(['None', 'Exposé (document_expose)', 'Preisliste (document_price_list)', 'QR-Code (document_qr_code)', 'Reservierungsliste (document_reservation_list)']),
			`the Document Attribute list shows the sandbox's attributes with their labels, after None: ${attributes.join(' | ')}`,
		);
		await page.getByTestId('parameter-input-relatedRecordId').locator('input').fill('409');
		await editor.top();
		await shot(page, 'node-upload-estate');
		await editor.closeNode();

		sandbox.store.documentAttributes = {};
		await editor.addNode('Upload a file to a record', false);
		const none = await editor.documentAttributeOptions();
		check(none.length === 1 && none[0].startsWith('No Document Attributes Are Set up in onOffice'), `with none configured in onOffice the list says so: ${none.join(' | ')}`);
		sandbox.reset();
		await editor.closeNode();

		// Add Link: only link fields, and the four link types.
		await editor.addNode('Add a link to an estate', false);
		const linkFields = await editor.fields();
		check(JSON.stringify(linkFields) === JSON.stringify(['operation', 'relatedRecordId', 'url', 'onDuplicate', 'fileType', 'title']), `Add Link shows only link fields: ${linkFields.join(', ')}`);
		check((await page.locator('label[for="relatedRecordId"]').innerText()).startsWith('Estate ID'), 'Add Link calls the record field "Estate ID"');
		const types = await editor.optionsOf('fileType');
		check(JSON.stringify(types) === JSON.stringify(['Film-Link (Video)', 'Link (Web Page)', 'Objekt-Link (Estate Web Page)', 'Ogulo-Link (Virtual Tour)']), `Add Link offers the four link types: ${types.join(', ')}`);
		await page.getByTestId('parameter-input-relatedRecordId').locator('input').fill('2651');
		await page.getByTestId('parameter-input-url').locator('input').fill('https://tour.example.com/2651');
		await editor.top();
		await shot(page, 'node-add-link');

		// The credential form: Custom URL only for Custom URL; each wrong value its own message.
		await page.getByTestId('node-credentials-select').click();
		await page.getByText('Create new credential').click();
		const modal = page.getByTestId('editCredential-modal');
		await modal.waitFor();
		const credentialFields = async () => modal.locator('[data-test-id^="parameter-input-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test-id')!.replace('parameter-input-', '')));
		check(!(await credentialFields()).includes('customUrl'), 'the credential form hides Custom URL for API Version Stable');
		await modal.getByTestId('parameter-input-token').locator('input').fill(sandbox.token);
		await modal.getByTestId('parameter-input-secret').locator('input').fill('w'.repeat(64));
		await modal.getByTestId('parameter-input-apiVersion').click();
		await page.locator('.el-popper:visible li').filter({ hasText: 'Custom URL' }).first().click();
		check((await credentialFields()).includes('customUrl'), 'and shows it for Custom URL');
		await modal.getByTestId('parameter-input-customUrl').locator('input').fill(sandbox.url);
		const wrongSecret = await editor.saveCredential(modal);
		check(/137: the HMAC is invalid\)\. The secret is wrong/.test(wrongSecret), `a wrong secret: "${wrongSecret}"`);
		await shot(page, 'credential-test-failed');
		await modal.getByTestId('parameter-input-secret').locator('input').fill(sandbox.secret);
		await modal.getByTestId('parameter-input-token').locator('input').fill('w'.repeat(32));
		const wrongToken = await editor.saveCredential(modal);
		check(/does not know this token \(22/.test(wrongToken), `a wrong token: "${wrongToken}"`);
		await modal.getByTestId('parameter-input-token').locator('input').fill(sandbox.token);
		await modal.getByTestId('parameter-input-customUrl').locator('input').fill('http://onoffice.example.com/api/stable/api.php');
		const plainHttp = await editor.saveCredential(modal);
		check(/uses http on a host that is not this machine: use https/.test(plainHttp), `an http URL on another host: "${plainHttp}"`);
		await modal.getByTestId('parameter-input-customUrl').locator('input').fill(sandbox.url);
		check((await editor.saveCredential(modal)) === '', 'and the right values test fine');
		const everything = `${await page.content()} ${server.output()}`;
		check(![sandbox.secret, 'w'.repeat(64)].some((value) => everything.includes(value)), 'neither the secret nor the wrong one shows in the page or in n8n\'s log');
		if (await modal.isVisible()) await page.keyboard.press('Escape');

		// A small workflow on the canvas: the e-mail example as users import it.
		await page.goto(`${server.url}/workflow/onofficeExampleMail`);
		await page.getByTestId('canvas-wrapper').waitFor();
		await page.waitForTimeout(1500);
		await shot(page, 'workflow-canvas');
		const subtitles = await page.locator('[data-test-id="canvas-node"]').allInnerTexts();
		const subtitle = subtitles.find((t) => t.includes('Upload attachments to estate'))?.replace(/\s+/g, ' ') ?? '';
		check(subtitle.includes('Upload File → Estate from the item'), `the node's subtitle on the canvas says what it does and where: "${subtitle}"`);
		console.log(`ui: ${passed} passed, 0 failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	} finally {
		await browser.close();
		if (server) await server.stop();
		await sandbox.stop();
		rmSync(work, { recursive: true, force: true });
	}
}

/** The parts of n8n's editor the test uses, by n8n's own test ids (see the n8n reference's notes). */
class Editor {
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
		await page.getByTestId(newWorkflow ? 'canvas-plus-button' : 'node-creator-plus-button').first().click();
		await page.getByTestId('node-creator-search-bar').fill('onOffice');
		await page.getByTestId('node-creator-item-name').getByText('onOffice File Upload', { exact: true }).click();
		await page.getByText(action).first().click();
		await page.getByTestId('ndv').waitFor();
	}

	/** Scrolls the node panel back to its first parameter (for the screenshots). */
	async top(): Promise<void> {
		await this.page.getByTestId('ndv').getByText('Parameters', { exact: true }).first().click();
		await this.page.getByTestId('parameter-input-operation').scrollIntoViewIfNeeded();
	}

	async closeNode(): Promise<void> {
		await this.page.getByTestId('ndv-close-button').first().click();
		await this.page.getByTestId('ndv').waitFor({ state: 'hidden' });
	}

	/** The node's parameters as the panel shows them (hidden ones are not in the page). */
	async fields(): Promise<string[]> {
		const settings = new Set(['item', 'field', 'notes', 'notesInFlow', 'alwaysOutputData', 'executeOnce', 'onError', 'retryOnFail']);
		const ids = await this.page.getByTestId('ndv').locator('[data-test-id^="parameter-input-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test-id')!.replace('parameter-input-', '')));
		return ids.filter((id) => !settings.has(id));
	}

	async optionsOf(parameter: string): Promise<string[]> {
		await this.page.getByTestId(`parameter-input-${parameter}`).click();
		const popper = this.page.locator('.el-popper:visible li');
		await popper.first().waitFor();
		const names = (await popper.allInnerTexts()).map((t) => t.split('\n')[0].trim()).filter((t) => t !== '');
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
		await page.locator('.el-popper:visible li').filter({ hasText: 'Document Attribute Name or ID' }).first().click();
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
			if (!(await modal.isVisible()) || (await modal.getByTestId('credentials-config-container-test-success').isVisible())) return '';
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
		return text.slice(start, start + 600).split('\n').slice(1).find((line) => line.trim() && !['More details', 'Retry', 'Less details'].includes(line.trim()))?.trim() ?? '';
	}
}

/** A screenshot into docs/. */
async function shot(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: join(shots, `${name}.png`) });
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
