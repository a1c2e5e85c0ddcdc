// Unpack the headless Chromium that the npm package @sparticuz/chromium carries (brotli-compressed)
// into a folder of the project, for machines without a system Chromium. No root, no download:
// the package itself comes from the npm registry with `npm ci`.
//
//   node tools/unpack_chromium.mjs build/chromium
//
// Leaves FOLDER/chromium (the browser), FOLDER/lib*.so (its software GL), FOLDER/fonts and
// FOLDER/al2023/lib (the shared libraries it needs, for machines that lack them).
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, chmodSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";
import { extract } from "tar-fs";

if (process.platform !== "linux" || process.arch !== "x64") {
  // The browser in the package is built for Linux on x86-64 only.
  console.error(`The Chromium that @sparticuz/chromium carries runs on Linux x86-64 only, not on this machine ` +
    `(${process.platform} ${process.arch}). Install Chrome or Chromium, or set CHROMIUM_PATH to one, then run make again.`);
  process.exit(1);
}

const target = resolve(process.argv[2] || "build/chromium");
const require = createRequire(import.meta.url);
// The package exports only its entry point (build/index.js); its bin/ folder sits beside build/.
const bin = join(dirname(require.resolve("@sparticuz/chromium")), "..", "bin");

async function untar(archive, folder) {
  mkdirSync(folder, { recursive: true });
  await pipeline(createReadStream(join(bin, archive)), createBrotliDecompress(), extract(folder));
}

const browser = join(target, "chromium");
if (!existsSync(browser)) {
  mkdirSync(target, { recursive: true });
  await untar("swiftshader.tar.br", target);
  await untar("fonts.tar.br", join(target, "fonts"));
  await untar("al2023.tar.br", join(target, "al2023"));
  // Written under another name first, so an interrupted unpack is never taken for a browser.
  const partial = browser + ".partial";
  await pipeline(createReadStream(join(bin, "chromium.br")), createBrotliDecompress(), createWriteStream(partial));
  chmodSync(partial, 0o755);
  renameSync(partial, browser);
}
console.log(browser);
