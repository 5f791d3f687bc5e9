"""Files in an S3-compatible object store (MinIO, Ceph's RADOS Gateway, Amazon S3 or a cloud's S3 API) instead of a
MEDIA_ROOT mounted on every machine (docs/deploy.md, "Past one machine"). The bucket stays private: the app reads
each file through the storage API and sends it itself (core.files.serve_file) once the record's visibility rule
let the reader see it; no address of the store is ever shown."""

BACKEND = "minio_storage.storage.MinioMediaStorage"


def s3_settings(endpoint: str, access_key: str, secret_key: str, bucket: str, use_https: bool, region: str) -> dict:
    """The settings of the storage backend (django-minio-storage) for a store at `endpoint` (host:port)."""
    return {
        "MINIO_STORAGE_ENDPOINT": endpoint,
        "MINIO_STORAGE_ACCESS_KEY": access_key,
        "MINIO_STORAGE_SECRET_KEY": secret_key,
        "MINIO_STORAGE_USE_HTTPS": use_https,
        "MINIO_STORAGE_REGION": region or None,
        "MINIO_STORAGE_MEDIA_BUCKET_NAME": bucket,
        "MINIO_STORAGE_AUTO_CREATE_MEDIA_BUCKET": True,
        # The library's default gives a bucket it creates a policy that lets anyone read every file in it.
        "MINIO_STORAGE_AUTO_CREATE_MEDIA_POLICY": False,
        # storage.url(), which nothing calls, would then give a signed address that expires, not a bare one.
        "MINIO_STORAGE_MEDIA_USE_PRESIGNED": True,
    }
