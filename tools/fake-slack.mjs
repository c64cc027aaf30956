// A minimal stand-in for Slack's Web API and file host, for the transcript in docs/slack.md.
// Logs every call the bot makes (method, path, body) and answers like Slack does: {"ok":true,...}.
// The external upload is checked against Slack's documented contract (files.getUploadURLExternal: filename and an
// integer length; the bytes POSTed to the returned upload_url, exactly length of them; files.completeUploadExternal:
// files as a JSON array naming the file_id, channel_id with thread_ts); a call that breaks it gets ok:false.
// Usage: node tools/fake-slack.mjs PORT IMAGE_FILE
import http from 'node:http';
import fs from 'node:fs';

const [port, image] = [Number(process.argv[2]), process.argv[3]];
const uploadPath = '/upload/v1/CwABAAAAXAoAAZ';
const fileId = 'F0ANNOTATED';
let announcedLength = -1;
let uploadedLength = -1;

const form = (body) => Object.fromEntries(new URLSearchParams(body));
const answer = (res, value) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => { chunks.push(chunk); });
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const body = req.url === uploadPath ? `(${raw.length} bytes of ${req.headers['content-type']})` : raw.toString();
    const auth = req.headers.authorization ? ` (Authorization: ${req.headers.authorization.slice(0, 12)}…)` : '';
    console.log(`<- ${req.method} ${req.url}${auth}${body ? '\n   ' + body : ''}`);
    if (req.url.startsWith('/files-pri/')) {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(fs.readFileSync(image));
      return;
    }
    if (req.url === uploadPath) {
      uploadedLength = raw.length;
      const ok = req.method === 'POST' && !req.headers.authorization && raw.length === announcedLength;
      res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' });
      res.end(ok ? `OK - ${raw.length}` : 'upload does not match the announced length');
      return;
    }
    if (req.url.startsWith('/api/files.getUploadURLExternal')) {
      const { filename, length } = form(body);
      if (!filename || !/^[1-9][0-9]*$/.test(length ?? '')) {
        answer(res, { ok: false, error: 'invalid_arguments' });
        return;
      }
      announcedLength = Number(length);
      answer(res, { ok: true, upload_url: `http://127.0.0.1:${port}${uploadPath}`, file_id: fileId });
      return;
    }
    if (req.url.startsWith('/api/files.completeUploadExternal')) {
      const fields = form(body);
      let files = [];
      try { files = JSON.parse(fields.files ?? ''); } catch { files = null; }
      const named = Array.isArray(files) && files.some((f) => f?.id === fileId);
      const ok = named && uploadedLength === announcedLength && (!fields.thread_ts || fields.channel_id);
      answer(res, ok ? { ok: true, files: [{ id: fileId, title: files[0].title }] } : { ok: false, error: 'invalid_arguments' });
      return;
    }
    if (req.url.startsWith('/api/files.info')) {
      const name = image.split('/').pop();
      const file = {
        id: 'F0CAT1', name, title: name, mimetype: 'image/jpeg', filetype: 'jpg', size: fs.statSync(image).size,
        url_private_download: `http://127.0.0.1:${port}/files-pri/T0CATS-F0CAT1/download/${name}`,
        shares: { public: { C0CATS: [{ ts: '1764310000.000100' }] } },
      };
      answer(res, { ok: true, file });
      return;
    }
    answer(res, { ok: true, ts: '1764310001.000200', channel: 'C0CATS' });
  });
}).listen(port, '127.0.0.1');
