"""Uploaded photos (GraphQL multipart request) read into bytes for the services."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import UploadFile

from core.errors import BadInput
from resolvers.context import Info


async def read_uploads(info: Info, uploads: Sequence[object]) -> list[bytes]:
    """The bytes of each upload. Too many files, or a file over the limit, is refused before it is read
    whole; the services check the rest of the photo policy."""
    policy = info.context.resources.photo_policy
    if len(uploads) > policy.max_per_post:
        raise BadInput(f"At most {policy.max_per_post} photos.")
    contents = []
    for upload in uploads:
        if not isinstance(upload, UploadFile):
            raise BadInput("Photos must be sent as files (GraphQL multipart request).")
        data = await upload.read(policy.max_bytes + 1)
        policy.check_size(data)
        contents.append(data)
    return contents
