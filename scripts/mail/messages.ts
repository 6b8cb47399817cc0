// Real MIME messages as mail clients send them, for the mail test: several attachments, names encoded per
// RFC 2231 (filename*=UTF-8''…) and RFC 2047 (=?UTF-8?B?…?=), Outlook's winmail.dat, an invitation, an inline
// signature logo, and an attachment large enough for several upload blocks.
import { createHash } from 'crypto';

export interface Attachment {
	fileName: string;
	mimeType: string;
	bytes: Buffer;
	/** How the name is written in the headers. */
	nameEncoding: 'plain' | 'rfc2231' | 'rfc2047';
	/** Inline (a signature image, with a Content-ID) instead of an attachment. */
	inline?: boolean;
}

export interface Mail {
	subject: string;
	/** The From header as written (RFC 2047 words where it needs them); Max Müller at mail.example.com by default. */
	from?: string;
	attachments: Attachment[];
}

const b64Lines = (bytes: Buffer) => (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
export const encodedWord = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;
const rfc2231 = (text: string) => `UTF-8''${encodeURIComponent(text)}`;

function partFor(attachment: Attachment, index: number): string {
	const disposition = attachment.inline ? 'inline' : 'attachment';
	let name: string;
	let filename: string;
	if (attachment.nameEncoding === 'rfc2231') {
		name = `name*=${rfc2231(attachment.fileName)}`;
		filename = `filename*=${rfc2231(attachment.fileName)}`;
	} else if (attachment.nameEncoding === 'rfc2047') {
		name = `name="${encodedWord(attachment.fileName)}"`;
		filename = `filename="${encodedWord(attachment.fileName)}"`;
	} else {
		name = `name="${attachment.fileName}"`;
		filename = `filename="${attachment.fileName}"`;
	}
	return [
		`Content-Type: ${attachment.mimeType}; ${name}`,
		`Content-Disposition: ${disposition}; ${filename}`,
		'Content-Transfer-Encoding: base64',
		...(attachment.inline ? [`Content-ID: <part${index}@mail.example.com>`] : []),
		'',
		b64Lines(attachment.bytes),
	].join('\r\n');
}

/** An RFC 5322 message: multipart/mixed with a text part and the attachments, subject RFC 2047-encoded. */
export function mime(mail: Mail, messageId: string): Buffer {
	const boundary = `----=_Part_${createHash('sha1').update(messageId).digest('hex').slice(0, 16)}`;
	const parts = [
		[
			'Content-Type: text/plain; charset=UTF-8',
			'Content-Transfer-Encoding: 8bit',
			'',
			'Guten Tag,\r\nanbei die Unterlagen.\r\n\r\nMit freundlichen Grüßen\r\nMax Müller',
		].join('\r\n'),
		...mail.attachments.map(partFor),
	];
	const text = [
		`From: ${mail.from ?? `${encodedWord('Max Müller')} <max.mueller@mail.example.com>`}`,
		'To: Makler <agent@mail.example.com>',
		`Subject: ${encodedWord(mail.subject)}`,
		`Message-ID: <${messageId}@mail.example.com>`,
		'Date: Tue, 01 Dec 2026 09:00:00 +0100',
		'MIME-Version: 1.0',
		`Content-Type: multipart/mixed; boundary="${boundary}"`,
		'',
		'This is a multi-part message in MIME format.',
		...parts.map((part) => `--${boundary}\r\n${part}`),
		`--${boundary}--`,
		'',
	].join('\r\n');
	return Buffer.from(text, 'utf8');
}
