import * as esbuild from 'esbuild';
const ext=['vscode','sql.js','exifr','piexif-ts','google-auth-library','gaxios','@googleapis/drive','mime','@rgrove/parse-xml'];
for (const e of process.argv.slice(2)) {
const r = await esbuild.build({ stdin:{contents:`export * from './${e}'`,resolveDir:'.'}, bundle: true, write: false, format: 'cjs', platform: 'node', target: 'node20', external: ext, metafile: true, minify: true, outfile: 'x.js' });
console.log((Object.values(r.metafile.outputs)[0].bytes/1024).toFixed(0).padStart(5),'KB',e);
}
