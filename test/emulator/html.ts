export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function page(title: string, body: string, headExtra = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f8f9fa;color:#202124}
main{max-width:760px;margin:32px auto;background:#fff;border:1px solid #dadce0;border-radius:8px;padding:24px 32px}
h1{font-size:22px;font-weight:400} .muted{color:#5f6368;font-size:14px} ul.scopes li{margin:6px 0}
button{font-size:15px;padding:8px 20px;border-radius:4px;border:1px solid #dadce0;background:#fff;cursor:pointer;margin-right:8px}
button.primary{background:#1a73e8;color:#fff;border-color:#1a73e8}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
.grid label{display:block;border:1px solid #dadce0;border-radius:6px;padding:6px;font-size:12px;word-break:break-all}
.grid img{width:100%;height:110px;object-fit:cover;display:block;margin-bottom:4px;background:#eee}
.error{color:#d93025}
</style>${headExtra}</head><body><main>${body}</main></body></html>
`;
}
