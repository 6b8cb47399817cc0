// What a record field of node version 2 says, table-driven: the saved locator, the value that gets looked up, and
// the words for a value that cannot name a record.
import {
	checkLocator,
	emailIn,
	lookupKey,
	readLocator,
	recordNumberIn,
	type RecordLocator,
} from '../../nodes/OnOfficeFileUpload/helpers/recordLocator';

describe('readLocator', () => {
	test.each([
		[
			{ __rl: true, mode: 'list', value: '409', cachedResultName: 'PC910 · Musterstraße 12 (409)' },
			{ mode: 'list', value: '409', name: 'PC910 · Musterstraße 12 (409)' },
		],
		[
			{ __rl: true, mode: 'propertyNumber', value: ' PC910 ' },
			{ mode: 'propertyNumber', value: 'PC910' },
		],
		[
			{ __rl: true, mode: 'email', value: 'Anna <anna@example.com>' },
			{ mode: 'email', value: 'Anna <anna@example.com>' },
		],
		[
			{ __rl: true, mode: 'id', value: 409 },
			{ mode: 'id', value: '409' },
		],
		// An unknown mode (a newer save opened by an older package) and bare values name the record by its number.
		[
			{ __rl: true, mode: 'url', value: '409' },
			{ mode: 'id', value: '409' },
		],
		[409, { mode: 'id', value: '409' }],
		[' 2651 ', { mode: 'id', value: '2651' }],
		[undefined, { mode: 'id', value: '' }],
	])('%j is %j', (raw, expected) => {
		expect(readLocator(raw)).toEqual(expected);
	});
});

describe('emailIn and recordNumberIn', () => {
	test.each([
		['anna@example.com', 'anna@example.com'],
		['Anna.Schmidt@Example.COM', 'anna.schmidt@example.com'],
		['Anna Schmidt <anna@example.com>', 'anna@example.com'],
		['"Schmidt, Anna" <anna@example.com>', 'anna@example.com'],
		['mailto:anna@example.com', 'anna@example.com'],
		['anna', undefined],
		['anna@localhost', undefined],
		['anna@example.com, bernd@example.com', undefined],
		['', undefined],
	])('e-mail in %j: %j', (text, email) => {
		expect(emailIn(text)).toBe(email);
	});

	test.each([
		['409', 409],
		['0', undefined],
		['-3', undefined],
		['4.5', undefined],
		['PC910', undefined],
		['99999999999999999999', undefined],
	])('record number in %j: %j', (text, n) => {
		expect(recordNumberIn(text)).toBe(n);
	});
});

describe('checkLocator', () => {
	const at = (mode: RecordLocator['mode'], value: string) => ({ mode, value });

	test.each([
		[at('list', '409'), 'estate', { value: '409', recordId: 409 }],
		[at('id', '7'), 'address', { value: '7', recordId: 7 }],
		[at('propertyNumber', 'PC910'), 'estate', { value: 'PC910' }],
		[at('email', 'Anna <Anna@Example.com>'), 'address', { value: 'anna@example.com' }],
	])('%j (%s) is looked up as %j', (locator, what, expected) => {
		expect(checkLocator(locator, what)).toEqual(expected);
	});

	test.each([
		[
			at('list', ''),
			'estate',
			/no estate is given \(From List\)/,
			/Choose the estate from the list/,
		],
		[
			at('id', 'PC910'),
			'estate',
			/By ID needs the estate's record number.*"PC910"/,
			/choose By Property Number/,
		],
		[
			at('id', 'anna@example.com'),
			'address',
			/By ID needs the address's record number/,
			/choose By E-Mail/,
		],
		[
			at('propertyNumber', ''),
			'estate',
			/no estate is given \(By Property Number\)/,
			/property number \(ImmoNr\)/,
		],
		[
			at('propertyNumber', 'Objekt PC910 Fotos vom Wochenende'),
			'estate',
			/not a property number: onOffice's ImmoNr has at most 20 characters/,
			/only the property number/,
		],
		[
			at('email', 'Anna Schmidt'),
			'address',
			/"Anna Schmidt" is not an e-mail address/,
			/\$json\.from/,
		],
	])('%j (%s) is refused', (locator, what, problem, fix) => {
		const result = checkLocator(locator, what);
		expect(result).toEqual({
			problem: expect.stringMatching(problem),
			fix: expect.stringMatching(fix),
		});
	});

	test('one key per record, whatever the case of a property number or an e-mail', () => {
		expect(lookupKey(at('propertyNumber', 'pc910'))).toBe(lookupKey(at('propertyNumber', 'PC910')));
		expect(lookupKey(at('email', 'anna@example.com'))).not.toBe(
			lookupKey(at('propertyNumber', 'anna@example.com')),
		);
	});
});
