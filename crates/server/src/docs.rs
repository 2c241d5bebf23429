use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use dingdan_app::App;
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

/// The document's header; paths are added by every router that registers routes.
pub fn base() -> OpenApi {
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("dingdan")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "One order platform speaking five API dialects: openapi (seed 002), station (001), \
                     offline (000), mall (003), shop (004), plus the admin API under /admin/api/.",
                ))
                .build(),
        )
        .build()
}

/// `/openapi.json` and a self-contained page at `/docs` that lists it (no external assets).
pub fn router(doc: OpenApi) -> Router<App> {
    let json = Json(doc);
    Router::new()
        .route("/openapi.json", get(move || async move { json.clone().into_response() }))
        .route("/docs", get(|| async { Html(PAGE) }))
}

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dingdan API</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h2{border-bottom:1px solid #ddd;margin-top:2rem}
details{border:1px solid #e3e3e3;border-radius:4px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer} code{background:#f4f4f4;padding:0 .25rem}
.m{display:inline-block;width:4.5rem;font-weight:bold;text-transform:uppercase}
.get{color:#0a7}.post{color:#07c}.put{color:#c70}.delete{color:#c22}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
pre{background:#f7f7f7;padding:.5rem;overflow:auto}
</style></head><body>
<h1>dingdan API</h1><p>The raw document is at <a href="/openapi.json">/openapi.json</a>.</p>
<div id="out">Loading…</div>
<script>
fetch('/openapi.json').then(r=>r.json()).then(doc=>{
  const esc=s=>String(s??'').replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
  const groups={};
  for(const [path,item] of Object.entries(doc.paths||{})){
    for(const [method,op] of Object.entries(item)){
      if(typeof op!=='object'||!op.responses)continue;
      const tag=(op.tags&&op.tags[0])||'other';(groups[tag]=groups[tag]||[]).push({path,method,op});
    }
  }
  let html='<p>'+esc(doc.info.description)+'</p>';
  for(const tag of Object.keys(groups).sort()){
    html+='<h2>'+esc(tag)+'</h2>';
    for(const {path,method,op} of groups[tag]){
      html+='<details><summary><span class="m '+method+'">'+method+'</span><code>'+esc(path)+'</code> '+esc(op.summary||'')+'</summary>';
      if(op.description)html+='<p>'+esc(op.description)+'</p>';
      if(op.parameters&&op.parameters.length){
        html+='<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr>';
        for(const p of op.parameters)html+='<tr><td><code>'+esc(p.name)+'</code></td><td>'+esc(p.in)+'</td><td>'+(p.required?'yes':'')+'</td><td>'+esc(p.description)+'</td></tr>';
        html+='</table>';
      }
      if(op.requestBody)html+='<p>Body:</p><pre>'+esc(JSON.stringify(op.requestBody.content,null,1))+'</pre>';
      html+='<table><tr><th>status</th><th>meaning</th></tr>';
      for(const [s,r] of Object.entries(op.responses))html+='<tr><td>'+esc(s)+'</td><td>'+esc(r.description)+'</td></tr>';
      html+='</table></details>';
    }
  }
  document.getElementById('out').innerHTML=html;
}).catch(e=>{document.getElementById('out').textContent='Cannot load /openapi.json: '+e;});
</script></body></html>"#;
