import { loadOptions } from './harness';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox({}, { resetBeforeEach: false });

test('the Document Attribute dropdown lists the field configuration of module file, with labels', async () => {
	const options = await loadOptions('getDocumentAttributes', sandbox.credentials);
	expect(options).toEqual([
		{ name: 'None', value: '', description: 'The file gets no document attribute' },
		{ name: 'Exposé (document_expose)', value: 'document_expose' },
		{ name: 'Preisliste (document_price_list)', value: 'document_price_list' },
		{ name: 'QR-Code (document_qr_code)', value: 'document_qr_code' },
		{ name: 'Reservierungsliste (document_reservation_list)', value: 'document_reservation_list' },
	]);
	const request = sandbox.requests.at(-1)!;
	expect(request.actions[0]).toMatchObject({
		actionid: 'get',
		resourcetype: 'fields',
		hmacValid: true,
		parameters: { labels: true, modules: ['file'] },
	});
});

test('with no attributes configured in onOffice the list says so and where to set them up', async () => {
	sandbox.store.documentAttributes = {};
	try {
		const options = await loadOptions('getDocumentAttributes', sandbox.credentials);
		expect(options).toEqual([
			{
				name: 'No Document Attributes Are Set up in onOffice',
				value: '',
				description: expect.stringMatching(/Administration > Singleselect, module Files/),
			},
		]);
	} finally {
		sandbox.reset();
	}
});

test('the dropdown explains a wrong secret instead of showing an empty list', async () => {
	await expect(
		loadOptions('getDocumentAttributes', { ...sandbox.credentials, secret: 'q'.repeat(64) }),
	).rejects.toThrow(/loading the document attributes \(onOffice code 137\)/);
});

test('without a credential chosen the list says to choose one, and nothing is sent', async () => {
	const before = sandbox.requests.length;
	await expect(loadOptions('getDocumentAttributes', undefined)).rejects.toThrow(
		'Choose an onOffice API credential first: the document attributes are read from your onOffice',
	);
	expect(sandbox.requests.length).toBe(before);
});
