// Reads Mermaid text on stdin and parses it with mermaid itself; exit 1 on a parse error.
import { JSDOM } from 'jsdom';
import fs from 'node:fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
const text = fs.readFileSync(0, 'utf8');
try { const r = await mermaid.parse(text); console.log('ok', r.diagramType); } catch (e) { console.error('parse error:', e.message); process.exit(1); }
