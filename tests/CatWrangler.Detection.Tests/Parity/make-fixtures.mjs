// Derives small parity fixtures from refdet --dump output (full tensors stay out of git).
// usage: node make-fixtures.mjs DUMP_DIR REFDET_JSON OUT_JSON
import fs from 'node:fs';
import path from 'node:path';

const [dumpDir, refJson, outFile] = process.argv.slice(2);
const ref = JSON.parse(fs.readFileSync(refJson, 'utf8'));
const f32 = (f) => { const b = fs.readFileSync(path.join(dumpDir, f)); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };

// fixed pseudo-random positions (LCG), the same for every image
let seed = 12345;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const inputPos = Array.from({ length: 64 }, () => [rnd(512), rnd(512), rnd(3)]);
const heatPos = Array.from({ length: 64 }, (_, k) => [rnd(128), rnd(128), k % 2 === 0 ? 15 : rnd(80)]);
const whPos = Array.from({ length: 16 }, () => [rnd(128), rnd(128), rnd(4)]);

const images = [];
for (const r of ref.results) {
  const base = path.basename(r.file).replace(/\.[^.]+$/, '');
  const man = JSON.parse(fs.readFileSync(path.join(dumpDir, `${base}.centernet.json`), 'utf8'));
  const input = f32(man.input.file);
  const kp = f32(man['tower_0/keypoints'].file);
  const wh = f32(man['tower_0/wh'].file);
  let sum = 0; let sumSq = 0;
  for (const v of input) { sum += v; sumSq += v * v; }
  const classMax = new Array(80).fill(0);
  let catTop = 0;
  for (let i = 0; i < kp.length; i += 80) {
    let bc = 0;
    for (let c = 0; c < 80; c++) { if (kp[i + c] > classMax[c]) classMax[c] = kp[i + c]; if (kp[i + c] > kp[i + bc]) bc = c; }
    if (bc === 15 && kp[i + 15] > catTop) catTop = kp[i + 15];
  }
  images.push({
    file: path.basename(r.file),
    width: r.width,
    height: r.height,
    inputSum: sum,
    inputSumSquares: sumSq,
    inputSamples: inputPos.map(([y, x, c]) => input[(y * 512 + x) * 3 + c]),
    classMax,
    catTop,
    heatmapSamples: heatPos.map(([y, x, c]) => kp[(y * 128 + x) * 80 + c]),
    whSamples: whPos.map(([y, x, c]) => wh[(y * 128 + x) * 4 + c]),
  });
}
const out = {
  generatedBy: 'tests/CatWrangler.Detection.Tests/Parity/make-fixtures.sh (refdet.mjs --model centernet --prep letterbox --dump)',
  model: 'centernet (@vladmandic/human@3.3.6), letterbox 512',
  inputPositions: inputPos,
  heatmapPositions: heatPos,
  whPositions: whPos,
  images,
};
fs.writeFileSync(outFile, JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${outFile}: ${images.length} images`);
