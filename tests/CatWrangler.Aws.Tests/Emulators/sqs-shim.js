// local-aws-sqs behind a tiny fix-up: an empty ReceiveMessage answers 200 with no body, which AWSSDK.SQS v4 cannot
// parse (real SQS sends "{}"). Usage: node sqs-shim.js PORT
"use strict";
const http = require("http");
const { createRequestHandler } = require("local-aws-sqs");

const port = Number(process.argv[2]);
const { requestHandler } = createRequestHandler({
  port,
  hostname: "127.0.0.1",
  emulateQueueCreationLifecycle: false,
});

const server = http.createServer((req, res) => {
  if (req.headers["x-amz-target"]) {
    let wrote = false;
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = (chunk, ...rest) => {
      if (chunk && chunk.length) wrote = true;
      return write(chunk, ...rest);
    };
    res.end = (chunk, ...rest) => {
      if (chunk && typeof chunk !== "function" && chunk.length) wrote = true;
      if (!wrote && res.statusCode === 200 && !res.headersSent) {
        res.removeHeader("Content-Length");
        res.setHeader("Content-Type", "application/x-amz-json-1.0");
        return end("{}");
      }
      return end(chunk, ...rest);
    };
  }
  requestHandler(req, res);
});

server.listen(port, "127.0.0.1", () => console.log(`sqs shim listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
