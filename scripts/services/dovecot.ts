// A real IMAP server for the mail test: Dovecot from Debian's packages (installed when missing), with its whole
// configuration, mail and state in a temporary folder, one or more users (a mailbox each) with a plaintext password,
// IMAP without TLS on 127.0.0.1 only, on a free port. `stop()` ends it and removes the folder; the caller runs it in
// a finally.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import {
	chmodSync,
	chownSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'fs';
import { connect } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

import { freePort } from '../lib/ports';
import { ensureDebianPackage } from './apt';
import { sleep } from '../lib/time';

export interface Dovecot {
	host: string;
	port: number;
	/** The first user, the one `deliver` and `idling` mean unless told otherwise. */
	user: string;
	/** Every user's password. */
	password: string;
	/** Delivers a raw RFC 5322 message into a user's INBOX (doveadm save, as a mail server's delivery would). */
	deliver(message: Buffer, user?: string): void;
	/** Whether an IMAP client of the user is in IDLE right now (from the imap processes' titles). */
	idling(user?: string): boolean;
	log(): string;
	stop(): Promise<void>;
}

function idsOf(user: string): { uid: number; gid: number } {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${user}:`));
	if (!line)
		throw new Error(`the system user ${user} (made by the dovecot-core package) is missing`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export async function startDovecot(users: string[] = ['agent']): Promise<Dovecot> {
	ensureDebianPackage('dovecot', 'dovecot-imapd', 'The mail test (a real IMAP server)');
	const dir = mkdtempSync(join(tmpdir(), 'onoffice-dovecot-'));
	const port = await freePort();
	const [user] = users;
	const password = 'mail-test-only';
	// The mail belongs to the dovecot system user: Dovecot refuses root as a mail user.
	const mailUser = idsOf('dovecot');
	const conf = join(dir, 'dovecot.conf');
	// Dovecot's auth and mail processes run as its own users: they must reach into the folder.
	chmodSync(dir, 0o755);
	for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
	chownSync(join(dir, 'mail'), mailUser.uid, mailUser.gid);
	writeFileSync(join(dir, 'users'), users.map((u) => `${u}:{PLAIN}${password}\n`).join(''), {
		mode: 0o644,
	});
	writeFileSync(
		conf,
		[
			`base_dir = ${dir}/run`,
			`state_dir = ${dir}/state`,
			`log_path = ${dir}/dovecot.log`,
			'protocols = imap',
			'listen = 127.0.0.1',
			'ssl = no',
			'disable_plaintext_auth = no',
			'auth_mechanisms = plain login',
			'verbose_proctitle = yes',
			`mail_location = maildir:${dir}/mail/%u`,
			`first_valid_uid = ${mailUser.uid}`,
			`passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/users\n}`,
			`userdb {\n  driver = static\n  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${dir}/mail/%u\n}`,
			`service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
			// Nothing else listens: no submission, no LMTP, no statistics.
			'service stats {\n  unix_listener stats-reader {\n    mode = 0600\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}',
			'',
		].join('\n'),
	);
	const server: ChildProcess = spawn('dovecot', ['-F', '-c', conf], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	server.stdout!.on('data', (c) => (output += c));
	server.stderr!.on('data', (c) => (output += c));
	const readLog = () => {
		try {
			return readFileSync(join(dir, 'dovecot.log'), 'utf8');
		} catch {
			return '';
		}
	};
	const stop = async () => {
		if (server.exitCode === null) {
			server.kill('SIGTERM');
			await new Promise((resolve) => server.once('close', resolve));
		}
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		await waitForGreeting(port, () => server.exitCode !== null);
	} catch (error) {
		const log = readLog();
		await stop();
		throw new Error(
			`Dovecot did not start on 127.0.0.1:${port}: ${(error as Error).message}\n${output}\n${log}`,
		);
	}
	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		deliver(message, to = user) {
			const saved = spawnSync('doveadm', ['-c', conf, 'save', '-u', to, '-m', 'INBOX'], {
				input: message,
				encoding: 'utf8',
			});
			if (saved.status !== 0)
				throw new Error(`doveadm save failed: ${saved.stderr}\n${readLog().slice(-2000)}`);
		},
		idling(who = user) {
			const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
			return ps.stdout
				.split('\n')
				.some(
					(line) =>
						line.startsWith('dovecot/imap ') && line.includes(`[${who} `) && line.includes('IDLE'),
				);
		},
		log: readLog,
		stop,
	};
}

/** Waits until the server answers with its IMAP greeting. */
async function waitForGreeting(port: number, died: () => boolean): Promise<void> {
	for (let i = 0; i < 100; i++) {
		if (died()) throw new Error('dovecot exited');
		const greeting = await new Promise<string>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			let text = '';
			socket.setTimeout(1000, () => socket.destroy());
			socket.on('data', (c) => {
				text += c;
				if (text.includes('\r\n')) socket.end();
			});
			socket.on('close', () => resolve(text));
			socket.on('error', () => resolve(''));
		});
		if (greeting.startsWith('* OK')) return;
		await sleep(100);
	}
	throw new Error('no IMAP greeting within 10 s');
}
