// The records every sandbox starts with (and returns to on reset). Tests, scripts and docs/sandbox.md name them:
// change an id or a value here and there together.
import type { Address, Estate } from './store';

export const SEED_ESTATES: readonly Estate[] = [
	{ id: 30, objektnr_extern: 'PC101', objekttitel: 'Helle 3-Zimmer-Wohnung am Theater', objekttyp: 'etage', vermarktungsart: 'miete', strasse: 'Theaterstraße', hausnummer: '5', plz: '52062', ort: 'Aachen', wohnflaeche: 78, status: 1, owner: 1 },
	{ id: 409, objektnr_extern: 'PC910', objekttitel: 'Einfamilienhaus mit Garten', objekttyp: 'einfamilienhaus', vermarktungsart: 'kauf', strasse: 'Musterstraße', hausnummer: '12', plz: '52064', ort: 'Aachen', wohnflaeche: 145, status: 1, owner: 7 },
	{ id: 2651, objektnr_extern: 'PC651', objekttitel: 'Reihenhaus in der Südstadt', objekttyp: 'reihenhaus', vermarktungsart: 'kauf', strasse: 'Musterstraße', hausnummer: '3', plz: '50667', ort: 'Köln', wohnflaeche: 120, status: 2, owner: 12 },
	{ id: 3100, objektnr_extern: 'PC800', objekttitel: 'Zweifamilienhaus (verkauft)', objekttyp: 'zweifamilienhaus', vermarktungsart: 'kauf', strasse: 'Lindenweg', hausnummer: '7', plz: '52066', ort: 'Aachen', wohnflaeche: 190, status: 0, owner: 7 },
	{ id: 3201, objektnr_extern: 'DUP-7', objekttitel: '2-Zimmer-Wohnung', objekttyp: 'etage', vermarktungsart: 'miete', strasse: 'Am Markt', hausnummer: '7', plz: '52062', ort: 'Aachen', wohnflaeche: 64, status: 1, owner: 13 },
	{ id: 3202, objektnr_extern: 'DUP-7', objekttitel: 'Dachgeschosswohnung', objekttyp: 'dachgeschoss', vermarktungsart: 'miete', strasse: 'Bahnhofstraße', hausnummer: '20', plz: '52064', ort: 'Aachen', wohnflaeche: 55, status: 1, owner: 13 },
];

export const SEED_ADDRESSES: readonly Address[] = [
	{ id: 1, KdNr: 1001, Vorname: 'Erika', Name: 'Musterfrau', Firma: 'Musterfrau Immobilien GmbH', Status: 1, emails: [{ id: 11, address: 'erika.musterfrau@musterfrau-immobilien.example' }], phones: ['+49 241 4711'] },
	{ id: 7, KdNr: 1007, Vorname: 'Max', Name: 'Mustermann', Firma: '', Status: 1, emails: [{ id: 71, address: 'max.mustermann@example.com' }, { id: 72, address: 'max@mustermann-bau.example' }], phones: ['+49 241 123456'] },
	{ id: 12, KdNr: 1012, Vorname: 'Anna', Name: 'Schmidt', Firma: '', Status: 1, emails: [{ id: 121, address: 'anna.schmidt@example.org' }, { id: 122, address: 'familie.schmidt@example.com' }], phones: [] },
	{ id: 13, KdNr: 1013, Vorname: 'Bernd', Name: 'Schmidt', Firma: '', Status: 1, emails: [{ id: 131, address: 'familie.schmidt@example.com' }], phones: [] },
	// A tenant applicant: the example workflow files his pay slips on his contact.
	{ id: 21, KdNr: 1021, Vorname: 'Jonas', Name: 'Becker', Firma: '', Status: 1, emails: [{ id: 211, address: 'jonas.becker@example.com' }], phones: ['+49 170 5550123'] },
];

export const SEED_AGENTS_LOG: readonly number[] = [5];
export const SEED_TASKS: readonly number[] = [9];
