"""Small hand-written WordPress exports for the importer's tests, and a way to run it."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

DATA = Path(__file__).parent / "data"
THEME_UNIT_TEST = DATA / "themeunittestdata.wordpress.xml"

WP_HTTP = "http://wordpress.org/export/1.2/"
WP_HTTPS = "https://wordpress.org/export/1.2/"
WP_11 = "http://wordpress.org/export/1.1/"
SITE = "https://news.example.org"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def comment(
    wp_id: int,
    text: str = "Nice story.",
    *,
    approved: str = "1",
    kind: str = "",
    parent: int = 0,
    author: str = "A Reader",
    email: str = "reader@example.org",
    url: str = "",
    ip: str = "203.0.113.7",
    date_gmt: str = "2024-03-02 09:00:00",
) -> str:
    return f"""
    <wp:comment>
      <wp:comment_id>{wp_id}</wp:comment_id>
      <wp:comment_author>{cdata(author)}</wp:comment_author>
      <wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
      <wp:comment_author_url>{url}</wp:comment_author_url>
      <wp:comment_author_IP>{ip}</wp:comment_author_IP>
      <wp:comment_date>{cdata(date_gmt)}</wp:comment_date>
      <wp:comment_date_gmt>{cdata(date_gmt)}</wp:comment_date_gmt>
      <wp:comment_content>{cdata(text)}</wp:comment_content>
      <wp:comment_approved>{cdata(approved)}</wp:comment_approved>
      <wp:comment_type>{cdata(kind)}</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>
    </wp:comment>"""


def item(
    wp_id: int,
    title: str = "A post",
    *,
    post_type: str = "post",
    status: str = "publish",
    content: str = "First paragraph.\n\nSecond paragraph.",
    excerpt: str = "",
    name: str | None = None,
    date: str = "2024-03-01 10:00:00",
    date_gmt: str | None = "2024-03-01 16:00:00",
    creator: str = "jane",
    terms: tuple = (("category", "news", "News"),),
    sticky: bool = False,
    password: str = "",
    link: str | None = None,
    meta: tuple = (),
    comments: tuple = (),
    parent: int = 0,
    attachment_url: str = "",
    comment_status: str = "open",
    guid: str | None = None,
) -> str:
    name = name if name is not None else f"post-{wp_id}"
    link = link if link is not None else f"{SITE}/2024/03/01/{name}/"
    guid = guid if guid is not None else f"{SITE}/?p={wp_id}"
    terms_xml = "".join(
        f'<category domain="{domain}" nicename="{slug}">{cdata(label)}</category>'
        for domain, slug, label in terms
    )
    meta_xml = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
        for key, value in meta
    )
    gmt = date_gmt if date_gmt is not None else "0000-00-00 00:00:00"
    attachment = (
        f"<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>" if attachment_url else ""
    )
    return f"""
  <item>
    <title>{cdata(title)}</title>
    <link>{link}</link>
    <pubDate>Fri, 01 Mar 2024 16:00:00 +0000</pubDate>
    <dc:creator>{cdata(creator)}</dc:creator>
    <guid isPermaLink="false">{guid}</guid>
    <description></description>
    <content:encoded>{cdata(content)}</content:encoded>
    <excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
    <wp:post_id>{wp_id}</wp:post_id>
    <wp:post_date>{cdata(date)}</wp:post_date>
    <wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>
    <wp:comment_status>{cdata(comment_status)}</wp:comment_status>
    <wp:ping_status>open</wp:ping_status>
    <wp:post_name>{cdata(name)}</wp:post_name>
    <wp:status>{cdata(status)}</wp:status>
    <wp:post_parent>{parent}</wp:post_parent>
    <wp:menu_order>0</wp:menu_order>
    <wp:post_type>{cdata(post_type)}</wp:post_type>
    <wp:post_password>{cdata(password)}</wp:post_password>
    <wp:is_sticky>{int(sticky)}</wp:is_sticky>
    {attachment}{terms_xml}{meta_xml}{"".join(comments)}
  </item>"""


AUTHORS = """
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login>jane</wp:author_login>
    <wp:author_email>jane@example.org</wp:author_email>
    <wp:author_display_name><![CDATA[Jane Reporter]]></wp:author_display_name></wp:author>
  <wp:author><wp:author_id>2</wp:author_id><wp:author_login>sam</wp:author_login>
    <wp:author_email>sam@example.org</wp:author_email>
    <wp:author_display_name><![CDATA[Sam Editor]]></wp:author_display_name></wp:author>
"""

CATEGORIES = """
  <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>news</wp:category_nicename>
    <wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name>
  </wp:category>
  <wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>local</wp:category_nicename>
    <wp:category_parent>news</wp:category_parent><wp:cat_name><![CDATA[Local]]></wp:cat_name>
  </wp:category>
  <wp:tag><wp:term_id>7</wp:term_id><wp:tag_slug>city-hall</wp:tag_slug>
    <wp:tag_name><![CDATA[City Hall]]></wp:tag_name></wp:tag>
"""


def export(
    *items: str,
    namespace: str = WP_HTTP,
    version: str = "1.2",
    header: str = AUTHORS + CATEGORIES,
    site: str = SITE,
) -> bytes:
    """A complete WXR document around `items`."""
    excerpt = namespace + "excerpt/"
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="{excerpt}" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="{namespace}">
<channel>
  <title>The Example News</title>
  <link>{site}</link>
  <description>News</description>
  <language>en-US</language>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:base_site_url>{site}</wp:base_site_url>
  <wp:base_blog_url>{site}</wp:base_blog_url>
  {header}
  {"".join(items)}
</channel>
</rss>
""".encode()


def write(tmp_path: Path, data: bytes, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run_import(path: Path, *args: str) -> str:
    """Run `manage.py import_wordpress` and return what it printed (stdout and stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", str(path), *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()
