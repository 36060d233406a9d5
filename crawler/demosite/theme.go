package demosite

// The theme's assets: style sheets with an @import and url() images, so
// that a page replayed without its requisites looks unlike the live one,
// and a replay with them looks the same.
const (
	themeStyle = `/* Sawahlunto theme 1.4.2 */
@import url("parts/navigation.css");
html{background:#e9e4d8}
body{margin:0;font:16px/1.6 Georgia,"DejaVu Serif",serif;color:#2b2118}
#page{max-width:1000px;margin:0 auto;background:#fffdf8;box-shadow:0 0 14px rgba(60,40,10,.25)}
.skip-link,.screen-reader-text{position:absolute;left:-9999px}
.top-bar{background:#3d2b1f;color:#f3d9a4;font-size:12px;padding:4px 24px;letter-spacing:.05em}
.site-header{background:#7a1f12 url(img/header-bg.png) repeat-x;color:#fff;padding:0 0 0 0;border-bottom:6px solid #d9a21b}
.site-branding{display:flex;align-items:center;gap:18px;padding:18px 24px}
.custom-logo{display:block;width:125px;height:40px;border:3px solid #d9a21b;background:#fff}
.site-title{margin:0;font-size:26px;font-weight:bold}
.site-title a{color:#fff;text-decoration:none}
.site-description{margin:0;color:#f3d9a4;font-style:italic}
#content{display:flex;gap:28px;padding:24px}
.content-area{flex:1 1 auto;min-width:0}
.widget-area{flex:0 0 260px;background:#f4ecdc;border-left:4px solid #d9a21b;padding:12px 16px;font-size:14px}
.widget-title{margin:.4em 0;color:#7a1f12;text-transform:uppercase;font-size:14px;letter-spacing:.08em}
.entry-title{color:#7a1f12;font-size:30px;line-height:1.2;margin:0 0 8px}
.entry-title a{color:#7a1f12}
.entry-meta{color:#8a7560;font-size:13px;margin-bottom:16px}
.entry-content p{margin:0 0 1em}
.entry-content img,.wp-block-image img{max-width:100%;height:auto}
.site-footer{background:#3d2b1f;color:#f3d9a4;padding:18px 24px;font-size:13px}
.site-footer a{color:#fff}
a{color:#a3361f}
`
	themeNavigation = `/* navigation */
.main-navigation{background:#5c150c}
.main-navigation .menu-toggle{display:none}
.main-navigation ul{list-style:none;display:flex;gap:22px;margin:0;padding:10px 24px}
.main-navigation a{color:#fff;text-decoration:none;font-family:Verdana,"DejaVu Sans",sans-serif;font-size:14px;text-transform:uppercase}
`
	themeScript = "/* navigation */\n"
)
