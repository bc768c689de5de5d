// A minimal JSON-RPC client for a language server on stdio (Content-Length framing), enough to
// time requests and wait for pushed diagnostics. Requests the server sends us (registrations,
// configuration) are answered with null so the server never waits on the client.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export class LspClient {
  constructor(command, argv) {
    this.proc = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    this.buffer = Buffer.alloc(0);
    this.stderr = '';
    this.exited = null;
    this.proc.stdout.on('data', (chunk) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk) => {
      if (this.stderr.length < 10_000) this.stderr += chunk;
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
      for (const { reject } of this.pending.values()) reject(new Error(`server exited (${signal ?? code})`));
      this.pending.clear();
    });
    this.proc.stdin.on('error', () => {}); // a dead server shows as `exited`, not as an EPIPE crash
  }

  onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const m = /Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!m) throw new Error('language server sent a frame without Content-Length');
      const start = headerEnd + 4;
      const end = start + Number(m[1]);
      if (this.buffer.length < end) return;
      const msg = JSON.parse(this.buffer.subarray(start, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end);
      this.dispatch(msg);
    }
  }

  dispatch(msg) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (p) msg.error ? p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code })) : p.resolve(msg.result);
      return;
    }
    if (msg.id !== undefined) this.send({ jsonrpc: '2.0', id: msg.id, result: null });
    for (const l of this.listeners) l(msg);
  }

  send(msg) {
    const body = JSON.stringify(msg);
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error('server has exited'));
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** waitFor resolves with the first notification for which `test` holds, or null after `ms`. */
  waitFor(test, ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.listeners.delete(l);
        resolve(null);
      }, ms);
      const l = (msg) => {
        if (!test(msg)) return;
        clearTimeout(timer);
        this.listeners.delete(l);
        resolve(msg);
      };
      this.listeners.add(l);
    });
  }

  /** The server's peak resident set so far (VmHWM), in MB; null where /proc is not there. */
  peakRssMb() {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : null;
    } catch {
      return null;
    }
  }

  /** withTimeout races a request against a timer: null when the server does not answer in time. */
  static withTimeout(promise, ms) {
    let timer;
    return Promise.race([promise.catch(() => null), new Promise((resolve) => (timer = setTimeout(() => resolve(null), ms)))]).finally(() => clearTimeout(timer));
  }

  async initialize({ pull }) {
    const capabilities = {
      textDocument: {
        synchronization: { didSave: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}),
      },
      workspace: {},
    };
    const result = await this.request('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions: { settings: {} } });
    this.notify('initialized', {});
    return result;
  }

  async close() {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    await LspClient.withTimeout(this.request('shutdown', null), 5000);
    if (!this.exited) this.notify('exit', null);
    const done = await LspClient.withTimeout(
      exited.then(() => true),
      5000,
    );
    if (!done && !this.exited) this.proc.kill('SIGKILL');
  }
}
