// A minimal stand-in for Slack's Web API and file host, for the transcript in docs/slack.md.
// Logs every call the bot makes (method, path, body) and answers like Slack does: {"ok":true,...}.
// Usage: node tools/fake-slack.mjs PORT IMAGE_FILE
import http from 'node:http';
import fs from 'node:fs';

const [port, image] = [Number(process.argv[2]), process.argv[3]];
http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const auth = req.headers.authorization ? ` (Authorization: ${req.headers.authorization.slice(0, 12)}…)` : '';
    console.log(`<- ${req.method} ${req.url}${auth}${body ? '\n   ' + body : ''}`);
    if (req.url.startsWith('/files-pri/')) {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(fs.readFileSync(image));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url.startsWith('/api/files.info')) {
      const name = image.split('/').pop();
      const file = {
        id: 'F0CAT1', name, title: name, mimetype: 'image/jpeg', filetype: 'jpg', size: fs.statSync(image).size,
        url_private_download: `http://127.0.0.1:${port}/files-pri/T0CATS-F0CAT1/download/${name}`,
        shares: { public: { C0CATS: [{ ts: '1764310000.000100' }] } },
      };
      res.end(JSON.stringify({ ok: true, file }));
      return;
    }
    res.end(JSON.stringify({ ok: true, ts: '1764310001.000200', channel: 'C0CATS' }));
  });
}).listen(port, '127.0.0.1');
