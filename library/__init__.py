"""The media library: every image is uploaded once and reused by any number of stories."""
