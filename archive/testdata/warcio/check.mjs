// Reads a WARC file with warcio.js, an independent reader, and prints
// one JSON object per record: what warcio saw, and whether the record's
// block and payload digests match its bytes (computed here, not by
// warta). archive/warcio_test.go runs it on files that warta wrote.
import fs from "node:fs";
import crypto from "node:crypto";
import { WARCParser, getSurt } from "warcio";

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes) {
  let bits = 0, value = 0, out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}

function digestOK(claim, data) {
  if (!claim) return null;
  const i = claim.indexOf(":");
  const algo = claim.slice(0, i).toLowerCase().replace("-", "");
  const value = claim.slice(i + 1);
  const sum = crypto.createHash(algo).update(data).digest();
  return value === base32(sum) || value === base32(sum).replace(/=+$/, "") ||
    value.toLowerCase() === sum.toString("hex");
}

function indexOfCRLFCRLF(buf) {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

const parser = new WARCParser(fs.createReadStream(process.argv[2]), { parseHttp: false });
for await (const record of parser) {
  const block = Buffer.from(await record.readFully(false));
  const out = {
    version: record.warcHeaders.protocol,
    type: record.warcType,
    id: record.warcHeader("WARC-Record-ID"),
    uri: record.warcTargetURI || "",
    date: record.warcDate,
    concurrent_to: record.warcHeader("WARC-Concurrent-To") || "",
    refers_to: record.warcHeader("WARC-Refers-To") || "",
    profile: record.warcHeader("WARC-Profile") || "",
    content_length: record.warcContentLength,
    block_length: block.length,
    block_digest_ok: digestOK(record.warcBlockDigest, block),
    payload_digest_ok: null,
    status: 0,
    payload: "", // base64
    surt: record.warcTargetURI ? getSurt(record.warcTargetURI) : "",
    offset: parser.offset,
  };
  if ((record.warcContentType || "").startsWith("application/http")) {
    const end = indexOfCRLFCRLF(block);
    const head = block.subarray(0, end).toString("latin1");
    if (record.warcType === "response" || record.warcType === "revisit") {
      out.status = Number(head.split(" ")[1]);
    }
    if (record.warcType !== "revisit") {
      const payload = block.subarray(end + 4);
      out.payload = payload.toString("base64");
      out.payload_digest_ok = digestOK(record.warcPayloadDigest, payload);
    }
  }
  console.log(JSON.stringify(out));
}
