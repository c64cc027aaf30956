// The official Standard Webhooks library as a test oracle. Reads one JSON request on stdin, writes one JSON answer:
//   {"op":"sign","secret":"whsec_…","id":"msg_…","timestamp":1700000000,"payload":"…"} -> {"signature":"v1,…"}
//   {"op":"verify","secret":"whsec_…","headers":{…},"payload":"…"}                     -> {"ok":true} | {"ok":false,"error":"…"}
const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  const webhook = new Webhook(request.secret);
  if (request.op === "sign") {
    const signature = webhook.sign(request.id, new Date(request.timestamp * 1000), request.payload);
    process.stdout.write(JSON.stringify({ signature }));
  } else if (request.op === "verify") {
    try {
      webhook.verify(request.payload, request.headers, { jsonParse: false });
      process.stdout.write(JSON.stringify({ ok: true }));
    } catch (e) {
      process.stdout.write(JSON.stringify({ ok: false, error: String(e.message) }));
    }
  } else {
    process.exitCode = 2;
  }
});
