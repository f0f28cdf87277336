"""Article bodies written for these tests, with every kind of clutter real Sina bodies carry."""

from __future__ import annotations

# Each clutter item below holds a marker string that must not survive cleaning.
CLUTTERED_BODY = """<!-- 期货推广begin -->
<p class="finance_web_article_v17_futurestg" onclick="promo()"><img src="//n.sinaimg.cn/a.png"/>期货推广位</p>
<script>function promo(){ return "脚本里的字"; }</script>
<!-- 期货推广end -->
<!-- hq img begin -->
<div class="img_wrapper"><div class="ct_hqimg"><div class="hqimg_wrapper">
<a href="#"><img alt="行情图" src="//image.sinajs.cn/n/us/min/MSFT.png"/>行情图片</a></div>
<div class="to_page" style="text-align:center;"><a href="#">查看最新行情</a></div></div></div>
<!-- hq img end -->
<p>　　来源：示例财经</p>
<p>　　<span id="usstock_MSFT"><a class="keyword" href="https://stock.finance.sina.com.cn/usstock/quotes/MSFT.html" target="_blank">微软</a></span><span id="quote_MSFT"></span>本季度在数据中心上投入了<strong>大约158亿美元</strong>，创下新高。</p>
<div class="img_wrapper"><img src="//n.sinaimg.cn/b.png"/><span class="img_descr">图为机房示意图</span></div>
<p>　　分析人士认为，<font cms-style="font-L strong-Bold">这一数字
   仍将继续上升</font>。</p>
<div id="gtx-trans" style="position: absolute; left: 10px;">翻译浮层</div>
<p>　　报道称，<span id="usstock_&lt;span"><a class="keyword" href="#">BMW</a></span>YY&gt;等车企也在扩大投资。</p>
<!--article_adlist[<p cms-style="font-L">最后一段只保存在注释里。</p>]article_adlist-->
<!-- news_keyword_pub,usstock,MSFT -->
<!-- 开户二维码 start -->
<div id="app-kaihu-stock"></div>
<script charset="utf-8" src="//finance.sina.com.cn/tgdata/zw_account_stock.js"></script>
<div class="app-kaihu-qr app-qihuo-kaihu-qr" id="app-qihuo-kaihu-qr"><p>扫码开户领好礼</p></div>
<style>.appendQr_wrap{margin:6px 0;border-top:1px dotted #ccc;}</style>
<div class="clearfix appendQr_wrap"><div class="appendQr_normal"><img src="//n.sinaimg.cn/c.png"/></div>
<div class="appendQr_normal_txt">海量资讯、精准解读，尽在新浪财经APP</div></div>
<p class="article-editor">责任编辑：示例编辑 SF000</p>
"""  # noqa: E501

# What a reader sees of CLUTTERED_BODY: one paragraph a line, link text inside its sentence.
CLEAN_LINES = [
    "来源：示例财经",
    "微软本季度在数据中心上投入了大约158亿美元，创下新高。",
    "分析人士认为，这一数字 仍将继续上升。",
    "报道称，BMWYY>等车企也在扩大投资。",
    "最后一段只保存在注释里。",
]

# Text that sits only in clutter.
CLUTTER_MARKERS = [
    "期货推广位",
    "脚本里的字",
    "行情图片",
    "查看最新行情",
    "图为机房示意图",
    "翻译浮层",
    "扫码开户领好礼",
    "appendQr",
    "海量资讯",
    "责任编辑",
    "news_keyword_pub",
]

MOBILE_BODY = """<p class="art_p">　　<span id="usstock_AMZN"><a class="keyword" href="#">亚马逊</a></span>表示，物流网络的扩建仍在继续。</p>
<p class="art_p">　　公司没有给出新的时间表。</p>
"""  # noqa: E501
