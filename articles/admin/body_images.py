"""The body editor's "Insert" buttons: the library's own desk pages, opened as the
admin's related-object popups, choose an image (or upload one into the library), a
gallery, an audio or a video file, and the editor writes `[image N]`, `[gallery N]`,
`[audio N]` or `[video N]` where the cursor is (static/js/body_images.js).

Reusing the library's list and add form means one set of rules for every image: the
same search and filters to find one, the same upload checks (formats, byte and pixel
limits) to add one, and permission checks by the library's admin on the server side.
"""

from __future__ import annotations

from django.urls import reverse


def body_image_urls(user) -> dict[str, str]:
    """What the page's script needs, by what `user` may do: nothing for someone who may
    neither see nor add library images (then no button shows)."""
    urls: dict[str, str] = {}
    if user.has_perm("library.view_image"):
        urls["choose"] = reverse("admin:library_image_changelist")
        # A card for each image the body places (a thumbnail, so "[image 7]" means
        # something while writing); "0" is replaced by the id.
        urls["card"] = reverse("admin:library_image_card", args=[0])
    if user.has_perm("library.add_image"):
        urls["upload"] = reverse("admin:library_image_add")
    if user.has_perm("library.view_gallery"):
        urls["gallery"] = reverse("admin:library_gallery_changelist")
    if user.has_perm("library.view_mediafile"):
        urls["media"] = reverse("admin:library_mediafile_changelist")
    return urls
