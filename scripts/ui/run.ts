// npm run test:ui: the node as users meet it, in n8n 2.41.1's editor in Debian's Chromium (driven by
// playwright-core; no browser download), with the packed package and the sandbox. Saves screenshots.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';
import { chromium, selectors, type Page } from 'playwright-core';

import { SEED_ESTATES, startSandbox } from '../../test/sandbox/server';
import { importIntoN8n, installN8n, root, userFolderWithPackage } from '../services/n8n';
import { ensureDebianPackage } from '../services/apt';
import { OWNER } from '../services/n8nRest';
import { QUIET_EDITOR, serverEnv, startN8n } from '../services/n8nServer';
import { NODE_TYPE } from '../services/uploadWebhook';
import { SANDBOX_CREDENTIAL } from '../services/workflows';
import { Editor, type Clip } from './editor';
import {
	expectedSubtitle,
	PC651,
	PC910,
	sameLabels,
	V1_WORKFLOW,
	type ExampleNode,
} from './expected';

// The screenshots the README and docs/*.md show.
const shots = join(root, 'docs');

// Every check runs and says ok or FAIL; the run fails at the end if any failed (one node fault hides no other).
let passed = 0;
const failed: string[] = [];
function check(condition: boolean, message: string): void {
	if (condition) passed += 1;
	else failed.push(message);
	console.log(`${condition ? 'ok  ' : 'FAIL'} ${message}`);
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
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const readRights = (read: boolean) =>
		fetch(`${sandbox.origin}/__sandbox/rights`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ read }),
		});
	try {
		const workflows = join(work, 'workflows');
		mkdirSync(workflows);
		writeFileSync(
			join(work, 'credentials.json'),
			JSON.stringify([{ ...SANDBOX_CREDENTIAL, data: sandbox.credentials }]),
		);
		// The e-mail example as it is in examples/ (the canvas screenshot), and a node saved with version 1.
		const example = JSON.parse(
			readFileSync(join(root, 'examples', 'email-attachments-to-estate.json'), 'utf8'),
		);
		copyFileSync(
			join(root, 'examples', 'email-attachments-to-estate.json'),
			join(workflows, 'mail.json'),
		);
		writeFileSync(join(workflows, 'version1.json'), JSON.stringify(V1_WORKFLOW));
		const env = await serverEnv(install, home, QUIET_EDITOR);
		await importIntoN8n(install, env, join(work, 'credentials.json'), workflows);
		server = await startN8n(install, env);
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const page = await context.newPage();
		page.setDefaultTimeout(30000);
		const setup = await context.request.post(`${server.url}/rest/owner/setup`, {
			data: OWNER,
			headers: { 'browser-id': 'ui' },
		});
		check(setup.ok(), `the owner is set up (HTTP ${setup.status()})`);
		// n8n binds its auth cookie to the browser's own id: sign in through the form, as a user does.
		await page.goto(`${server.url}/signin`);
		await page.getByLabel('Email').fill(OWNER.email);
		await page.getByLabel('Password').fill(OWNER.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		const editor = new Editor(page, server.url);

		// Upload File, node version 2: the record field each module has, and the estate-only fields for Estate only.
		await editor.addNode('Upload a file to a record');
		const version = await editor.nodeVersion();
		check(/node version 2 \(Latest\)/.test(version), `a new node is version 2: "${version}"`);
		// A wider parameter panel, as a user drags it, so that the list's labels show whole (in the screenshots too).
		await editor.widenParameters(200);
		const estateFields = await editor.fields();
		check(
			['estate', 'onDuplicate', 'fileType', 'title'].every((f) => estateFields.includes(f)) &&
				!estateFields.includes('relatedRecordId'),
			`Upload File to an estate shows Estate, On Duplicate, File Type and Title, no Related Record ID: ${estateFields.join(', ')}`,
		);
		check(
			(await editor.label('estate')) === 'Estate',
			`the record field is called "Estate": "${await editor.label('estate')}"`,
		);
		const start = await editor.locator('estate');
		check(
			start.mode === 'From list' && start.value === '' && start.placeholder === 'Select an estate…',
			`it starts empty From List: ${JSON.stringify(start)}`,
		);
		for (const [module, label, shown, hidden] of [
			[
				'Address',
				'Address',
				['address', 'onDuplicate'],
				['estate', 'relatedRecordId', 'fileType', 'title'],
			],
			[
				'Agents Log',
				'Related Record ID',
				['relatedRecordId'],
				['estate', 'address', 'onDuplicate', 'fileType', 'title'],
			],
			[
				'Task',
				'Related Record ID',
				['relatedRecordId'],
				['estate', 'address', 'onDuplicate', 'fileType', 'title'],
			],
		] as const) {
			await editor.choose('module', module);
			const fields = await editor.fields();
			const shownLabel = await editor.label(shown[0]);
			check(
				shown.every((f) => fields.includes(f)) &&
					hidden.every((f) => !fields.includes(f)) &&
					shownLabel === label,
				`Module ${module}: "${shownLabel}" and ${shown.slice(1).join(', ') || 'nothing else'} shown, ${hidden.join(', ')} hidden (${fields.join(', ')})`,
			);
		}
		const taskPlaceholder = await page
			.getByTestId('parameter-input-relatedRecordId')
			.locator('input')
			.getAttribute('placeholder');
		check(
			taskPlaceholder === '5 or {{ $json.taskId }}',
			`Related Record ID (Task) starts empty with the placeholder "5 or {{ $json.taskId }}": "${taskPlaceholder}"`,
		);
		await editor.choose('module', 'Estate');
		const attributes = await editor.documentAttributeOptions();
		check(
			JSON.stringify(attributes) ===
				JSON.stringify([
					'None',
					'Exposé (document_expose)',
					'Preisliste (document_price_list)',
					'QR-Code (document_qr_code)',
					'Reservierungsliste (document_reservation_list)',
				]),
			`the Document Attribute list shows the sandbox's attributes with their labels, after None: ${attributes.join(' | ')}`,
		);

		// From List: every estate in property-number order; typing runs onOffice's quick search; the choice is record 409.
		const all = await editor.openList('estate');
		const numbers = all.map((label) => label.split(' · ')[0]);
		const seeded = SEED_ESTATES.map((e) => e.objektnr_extern).sort();
		check(
			isDeepStrictEqual(numbers, seeded) && all.includes(PC910) && all.includes(PC651),
			`the list shows every seeded estate, labelled, by property number: ${all.join(' | ')}`,
		);
		const searchesBefore = sandbox.requests.length;
		const narrowed = await editor.search('Musterstraße 12', (items) => items.length === 1);
		check(
			isDeepStrictEqual(narrowed, [PC910]),
			`typing "Musterstraße 12" narrows the list to that estate: ${narrowed.join(' | ')}`,
		);
		const searches = sandbox.requests
			.slice(searchesBefore)
			.flatMap((r) => r.actions)
			.filter(
				(a) => a.actionid === 'get' && a.resourcetype === 'search' && a.resourceid === 'estate',
			);
		check(
			searches.some((a) => a.parameters.input === 'Musterstraße 12'),
			`through onOffice's estate quick search: ${JSON.stringify(searches.map((a) => a.parameters))}`,
		);
		await shot(page, 'node-record-list', await editor.parameterPanel('onDuplicate'));
		await page.getByTestId('rlc-item').filter({ hasText: PC910 }).click();
		const chosen = await editor.locator('estate');
		check(chosen.value === PC910, `the field shows the estate chosen: "${chosen.value}"`);
		const fromList = await editor.saved('estate', {
			__rl: true,
			mode: 'list',
			value: '409',
			cachedResultName: PC910,
		});
		check(
			isDeepStrictEqual(fromList, {
				__rl: true,
				mode: 'list',
				value: '409',
				cachedResultName: PC910,
			}),
			`the workflow saves record 409 with the list's label: ${JSON.stringify(fromList)}`,
		);
		await editor.top();
		await shot(page, 'node-upload-estate');
		await editor.closeNode();
		const subtitle = (await editor.subtitles())['onOffice File Upload'];
		check(
			subtitle === 'Upload File → Estate 409',
			`the canvas names the estate chosen by its record number (n8n hands a subtitle the locator's value only): "${subtitle}"`,
		);

		// The other ways to name the record, and what the editor keeps for each.
		await editor.openNode('onOffice File Upload');
		const estateModes = await editor.modes('estate');
		check(
			sameLabels(estateModes, ['From List', 'By ID', 'By Property Number']),
			`Estate offers From List, By ID, By Property Number: ${estateModes.join(', ')}`,
		);
		for (const [mode, value] of [
			['id', '409'],
			['propertyNumber', 'PC910'],
		] as const) {
			await editor.mode('estate', mode);
			await editor.type('estate', value);
			const kept = await editor.saved('estate', { __rl: true, mode, value });
			check(
				isDeepStrictEqual(kept, { __rl: true, mode, value }),
				`${mode}: the workflow saves ${JSON.stringify(kept)}`,
			);
		}
		await editor.choose('module', 'Address');
		const contacts = await editor.openList('address');
		check(
			contacts.includes('Max Mustermann · max.mustermann@example.com (7)') && contacts.length === 5,
			`the Address list shows the seeded contacts: ${contacts.join(' | ')}`,
		);
		await page.keyboard.press('Escape');
		const addressModes = await editor.modes('address');
		check(
			sameLabels(addressModes, ['From List', 'By ID', 'By E-Mail']),
			`Address offers From List, By ID, By E-Mail: ${addressModes.join(', ')}`,
		);
		await editor.mode('address', 'email');
		await editor.type('address', 'max@mustermann-bau.example');
		const byEmail = await editor.saved('address', {
			__rl: true,
			mode: 'email',
			value: 'max@mustermann-bau.example',
		});
		check(
			isDeepStrictEqual(byEmail, {
				__rl: true,
				mode: 'email',
				value: 'max@mustermann-bau.example',
			}),
			`email: the workflow saves ${JSON.stringify(byEmail)}`,
		);
		await editor.closeNode();

		sandbox.store.documentAttributes = {};
		await editor.addNode('Upload a file to a record', false);
		const none = await editor.documentAttributeOptions();
		check(
			none.length === 1 && none[0].startsWith('No Document Attributes Are Set up in onOffice'),
			`with none configured in onOffice the list says so: ${none.join(' | ')}`,
		);
		sandbox.reset();
		await editor.closeNode();

		// Add Link: only link fields, the estate as Estate, and the four link types.
		await editor.addNode('Add a link to an estate', false);
		const linkFields = await editor.fields();
		check(
			JSON.stringify(linkFields) ===
				JSON.stringify(['operation', 'estate', 'url', 'onDuplicate', 'fileType', 'title']),
			`Add Link shows only link fields: ${linkFields.join(', ')}`,
		);
		check((await editor.label('estate')) === 'Estate', 'Add Link calls the record field "Estate"');
		const types = await editor.optionsOf('fileType');
		check(
			JSON.stringify(types) ===
				JSON.stringify([
					'Film-Link (Video)',
					'Link (Web Page)',
					'Objekt-Link (Estate Web Page)',
					'Ogulo-Link (Virtual Tour)',
				]),
			`Add Link offers the four link types: ${types.join(', ')}`,
		);
		await editor.openList('estate');
		const byNumber = await editor.search('PC651', (items) => items.length === 1);
		check(
			byNumber.length === 1 &&
				byNumber[0].startsWith('PC651 · Musterstraße 3, 50667 Köln') &&
				byNumber[0].endsWith('(2651)'),
			`typing a property number finds that estate: ${byNumber.join(' | ')}`,
		);
		await page.getByTestId('rlc-item').first().click();
		await page
			.getByTestId('parameter-input-url')
			.locator('input')
			.fill('https://tour.example.com/2651');
		await editor.top();
		await shot(page, 'node-add-link');

		// The credential form: Custom URL only for Custom URL; each wrong value its own message.
		await page.getByTestId('node-credentials-select').click();
		await page.getByText('Create new credential').click();
		const modal = page.getByTestId('editCredential-modal');
		await modal.waitFor();
		const credentialFields = async () =>
			modal
				.locator('[data-test-id^="parameter-input-"]')
				.evaluateAll((els) =>
					els.map((e) => e.getAttribute('data-test-id')!.replace('parameter-input-', '')),
				);
		check(
			!(await credentialFields()).includes('customUrl'),
			'the credential form hides Custom URL for API Version Stable',
		);
		await modal.getByTestId('parameter-input-token').locator('input').fill(sandbox.token);
		await modal.getByTestId('parameter-input-secret').locator('input').fill('w'.repeat(64));
		await modal.getByTestId('parameter-input-apiVersion').click();
		await page.locator('.el-popper:visible li').filter({ hasText: 'Custom URL' }).first().click();
		check((await credentialFields()).includes('customUrl'), 'and shows it for Custom URL');
		await modal.getByTestId('parameter-input-customUrl').locator('input').fill(sandbox.url);
		const wrongSecret = await editor.saveCredential(modal);
		check(
			/137: the HMAC is invalid\)\. The secret is wrong/.test(wrongSecret),
			`a wrong secret: "${wrongSecret}"`,
		);
		await shot(page, 'credential-test-failed');
		await modal.getByTestId('parameter-input-secret').locator('input').fill(sandbox.secret);
		await modal.getByTestId('parameter-input-token').locator('input').fill('w'.repeat(32));
		const wrongToken = await editor.saveCredential(modal);
		check(/does not know this token \(22/.test(wrongToken), `a wrong token: "${wrongToken}"`);
		await modal.getByTestId('parameter-input-token').locator('input').fill(sandbox.token);
		await modal
			.getByTestId('parameter-input-customUrl')
			.locator('input')
			.fill('http://onoffice.example.com/api/stable/api.php');
		const plainHttp = await editor.saveCredential(modal);
		check(
			/uses http on a host that is not this machine: use https/.test(plainHttp),
			`an http URL on another host: "${plainHttp}"`,
		);
		await modal.getByTestId('parameter-input-customUrl').locator('input').fill(sandbox.url);
		check((await editor.saveCredential(modal)) === '', 'and the right values test fine');
		const everything = `${await page.content()} ${server.output()}`;
		check(
			![sandbox.secret, 'w'.repeat(64)].some((value) => everything.includes(value)),
			"neither the secret nor the wrong one shows in the page or in n8n's log",
		);
		if (await modal.isVisible()) await page.keyboard.press('Escape');

		// An API user that may not read: the list says so instead of looking like an empty onOffice.
		const off = await readRights(false);
		check(off.ok, `the sandbox's API user loses its read rights (HTTP ${off.status})`);
		try {
			await editor.addNode('Upload a file to a record');
			await page.getByTestId('resource-locator-estate').getByTestId('rlc-input').click();
			const message = page.getByTestId('rlc-error-container');
			await message.waitFor();
			const said = (await message.innerText()).replace(/\s+/g, ' ').trim();
			const items = await page.getByTestId('rlc-item').count();
			check(
				said.includes('The API user can read no estates') && items === 0,
				`without read rights the list says: "${said}" (${items} estates listed)`,
			);
			await page.keyboard.press('Escape');
		} finally {
			const on = await readRights(true);
			check(on.ok, `and gets them back (HTTP ${on.status})`);
		}

		// A node saved with version 1 keeps its version and its old field.
		await editor.openWorkflow(V1_WORKFLOW.id);
		const v1Subtitle = (await editor.subtitles())[V1_WORKFLOW.nodes[0].name];
		check(
			v1Subtitle === 'Upload File → Estate 409',
			`a version 1 node reads "Upload File → Estate 409" on the canvas: "${v1Subtitle}"`,
		);
		await editor.openNode(V1_WORKFLOW.nodes[0].name);
		const v1Version = await editor.nodeVersion();
		const v1Fields = await editor.fields();
		const v1Value = await page
			.getByTestId('parameter-input-relatedRecordId')
			.locator('input')
			.inputValue()
			.catch(() => '');
		check(
			/node version 1 \(Latest version: 2\)/.test(v1Version) &&
				v1Fields.includes('relatedRecordId') &&
				!v1Fields.includes('estate') &&
				(await editor.label('relatedRecordId')) === 'Related Record ID' &&
				v1Value === '409',
			`opened, it is still version 1 with Related Record ID 409: "${v1Version}"; ${v1Fields.join(', ')}; "${v1Value}"`,
		);
		await editor.closeNode();

		// The e-mail example on the canvas, as users import it: each node's subtitle says what it does and where.
		await editor.openWorkflow(example.id);
		await page.waitForTimeout(1500);
		await shot(page, 'workflow-canvas');
		const onCanvas = await editor.subtitles();
		const ours = (example.nodes as ExampleNode[]).filter((n) => n.type === NODE_TYPE);
		check(
			ours.length > 0,
			`the e-mail example has onOffice nodes: ${ours.map((n) => n.name).join(', ')}`,
		);
		for (const node of ours) {
			check(
				onCanvas[node.name] === expectedSubtitle(node),
				`"${node.name}" reads "${expectedSubtitle(node)}" on the canvas: "${onCanvas[node.name]}"`,
			);
		}
		const seconds = ((Date.now() - started) / 1000).toFixed(0);
		console.log(`ui: ${passed} passed, ${failed.length} failed (${seconds} s)`);
		if (failed.length) throw new Error(`ui checks failed:\n- ${failed.join('\n- ')}`);
	} finally {
		await browser.close();
		if (server) await server.stop();
		await sandbox.stop();
		rmSync(work, { recursive: true, force: true });
	}
}

/** A screenshot into docs/: the whole window, or the part `clip` names. */
async function shot(page: Page, name: string, clip?: Clip): Promise<void> {
	await page.screenshot({ path: join(shots, `${name}.png`), ...(clip ? { clip } : {}) });
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
