// Reads a WACZ package the way replay tools do, with yauzl (ZIP) and
// warcio.js (WARC), independent implementations, and prints one JSON
// report: the package's files, its pages, each CDXJ line with what
// warcio found at that line's offset and length, and a list of
// problems found against the WACZ 1.1.1 spec. archive/wacz_test.go runs
// it on packages that warta wrote.
import fs from "node:fs";
import crypto from "node:crypto";
import yauzl from "yauzl";
import { WARCParser } from "warcio";

const path = process.argv[2];
const problems = [];
const fail = (msg) => problems.push(msg);

function openZip(p) {
  return new Promise((resolve, reject) =>
    yauzl.open(p, { lazyEntries: true, autoClose: false }, (err, zf) => (err ? reject(err) : resolve(zf))));
}

function readEntries(zf) {
  return new Promise((resolve, reject) => {
    const out = [];
    zf.on("entry", (e) => { out.push(e); zf.readEntry(); });
    zf.on("end", () => resolve(out));
    zf.on("error", reject);
    zf.readEntry();
  });
}

function readEntry(zf, e) {
  return new Promise((resolve, reject) =>
    zf.openReadStream(e, (err, rs) => {
      if (err) return reject(err);
      const chunks = [];
      rs.on("data", (c) => chunks.push(c));
      rs.on("end", () => resolve(Buffer.concat(chunks)));
      rs.on("error", reject);
    }));
}

// dataStart returns where an entry's bytes begin in the ZIP file: after
// its local header, as a reader with HTTP range requests computes it.
function dataStart(fd, e) {
  const h = Buffer.alloc(30);
  fs.readSync(fd, h, 0, 30, e.relativeOffsetOfLocalHeader);
  if (h.readUInt32LE(0) !== 0x04034b50) throw new Error(`${e.fileName}: no local header`);
  return e.relativeOffsetOfLocalHeader + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
}

const sha256 = (b) => "sha256:" + crypto.createHash("sha256").update(b).digest("hex");

const zf = await openZip(path);
const entries = await readEntries(zf);
const byName = new Map(entries.map((e) => [e.fileName, e]));
const files = {};
for (const e of entries) {
  if (e.fileName.endsWith("/")) continue;
  files[e.fileName] = await readEntry(zf, e);
  const top = e.fileName.split("/")[0];
  if (["archive", "indexes", "pages"].includes(top)) {
    const ok = { archive: /^archive\/[^/]+\.warc(\.gz)?$/, indexes: /^indexes\/index\.(cdxj|cdx\.gz|idx)$/, pages: /^pages\/(pages|extraPages)\.jsonl$/ }[top];
    if (!ok.test(e.fileName)) fail(`unexpected file ${e.fileName}`);
  }
  if (top === "archive" && e.compressionMethod !== 0) fail(`${e.fileName}: compression method ${e.compressionMethod}, want 0 (stored)`);
}

const report = { files: Object.keys(files).sort(), pages: [], records: [], problems };

// datapackage.json and its digest.
let dp = {};
try { dp = JSON.parse(files["datapackage.json"].toString("utf8")); } catch (err) { fail(`datapackage.json: ${err}`); }
if (dp.profile !== "data-package") fail(`datapackage.json: profile ${dp.profile}`);
if (dp.wacz_version !== "1.1.1") fail(`datapackage.json: wacz_version ${dp.wacz_version}`);
if (!dp.created || isNaN(Date.parse(dp.created))) fail(`datapackage.json: created ${dp.created}`);
const listed = new Set();
for (const r of dp.resources || []) {
  listed.add(r.path);
  if (!/^[-a-z0-9._/]+$/.test(r.name || "")) fail(`resource name ${JSON.stringify(r.name)} does not match ^[-a-z0-9._/]+$`);
  const data = files[r.path];
  if (!data) { fail(`resource ${r.path} is not in the ZIP`); continue; }
  if (r.bytes !== data.length) fail(`resource ${r.path}: bytes ${r.bytes}, ZIP entry has ${data.length}`);
  if (r.hash !== sha256(data)) fail(`resource ${r.path}: hash ${r.hash}, computed ${sha256(data)}`);
}
for (const name of Object.keys(files)) {
  if (!["datapackage.json", "datapackage-digest.json"].includes(name) && !listed.has(name)) fail(`${name} is not listed in datapackage.json`);
}
let dg = {};
try { dg = JSON.parse(files["datapackage-digest.json"].toString("utf8")); } catch (err) { fail(`datapackage-digest.json: ${err}`); }
if (dg.path !== "datapackage.json" || dg.hash !== sha256(files["datapackage.json"] || "")) fail(`datapackage-digest.json does not hash datapackage.json: ${JSON.stringify(dg)}`);

// pages.jsonl.
const pagesText = (files["pages/pages.jsonl"] || Buffer.alloc(0)).toString("utf8");
const pageLines = pagesText.split("\n").filter((l) => l !== "");
const head = JSON.parse(pageLines[0] || "{}");
if (head.format !== "json-pages-1.0") fail(`pages.jsonl header ${pageLines[0]}`);
for (const l of pageLines.slice(1)) {
  const p = JSON.parse(l);
  if (!p.url) fail(`page without url: ${l}`);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(p.ts || "")) fail(`page ts not RFC 3339: ${l}`);
  report.pages.push(p);
}

// index.cdxj: sorted, and each line's record where it says.
const cdxj = (files["indexes/index.cdxj"] || Buffer.alloc(0)).toString("utf8");
const lines = cdxj.split("\n").filter((l) => l !== "");
for (let i = 1; i < lines.length; i++) {
  if (Buffer.compare(Buffer.from(lines[i - 1]), Buffer.from(lines[i])) > 0) fail(`index.cdxj not sorted at line ${i + 1}`);
}
const fd = fs.openSync(path, "r");
for (const line of lines) {
  const m = /^(\S+) (\d{14}) (\{.*\})$/.exec(line);
  if (!m) { fail(`cdxj line malformed: ${line}`); continue; }
  const j = JSON.parse(m[3]);
  const entry = byName.get("archive/" + j.filename);
  if (!entry) { fail(`cdxj names ${j.filename}, not in archive/`); continue; }
  const start = dataStart(fd, entry) + Number(j.offset);
  const len = Number(j.length);
  const parser = new WARCParser(fs.createReadStream(path, { start, end: start + len - 1 }));
  const rec = await parser.parse();
  if (!rec) { fail(`no record at ${j.filename}#${j.offset}`); continue; }
  const payload = Buffer.from(await rec.readFully(true));
  const extra = await parser.parse();
  if (extra) fail(`more than one record in ${j.filename}#${j.offset}:${j.length}`);
  const out = {
    key: m[1], ts: m[2], cdxj: j,
    type: rec.warcType, uri: rec.warcTargetURI, date: rec.warcDate,
    status: rec.httpHeaders ? Number(rec.httpHeaders.statusCode) : 0,
    payload_digest: rec.warcPayloadDigest || "",
    payload_sha1_ok: null,
    payload: payload.toString("base64"),
  };
  if (rec.warcType === "request") fail(`request record indexed: ${line}`);
  if (out.uri !== j.url) fail(`record at ${j.filename}#${j.offset} is ${out.uri}, cdxj says ${j.url}`);
  if ((out.date || "").replace(/[-:TZ]/g, "").slice(0, 14) !== m[2]) fail(`record at ${j.filename}#${j.offset} dated ${out.date}, cdxj says ${m[2]}`);
  if (j.digest && j.digest !== out.payload_digest) fail(`record at ${j.filename}#${j.offset} digest ${out.payload_digest}, cdxj says ${j.digest}`);
  if (rec.warcType === "response" && j.status && Number(j.status) !== out.status) fail(`record at ${j.filename}#${j.offset} status ${out.status}, cdxj says ${j.status}`);
  report.records.push(out);
}
fs.closeSync(fd);
zf.close();
console.log(JSON.stringify(report));
