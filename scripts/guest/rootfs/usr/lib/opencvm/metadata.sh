# Reading the metadata service (http://169.254.0.23, metadata.tencentyun.com) with busybox nc, the one HTTP client
# the image has (busybox-static's wget crashes under QEMU's user networking). Sourced by the boot scripts.

METADATA_HOST=169.254.0.23

# metadata PATH FILE: writes the body of GET /PATH to FILE. Returns 0 for 200, 1 for 404 (the item does not exist),
# 2 when the service cannot be reached or answers anything else.
metadata() {
  _md_raw="$2.http"
  printf 'GET /%s HTTP/1.0\r\nHost: metadata.tencentyun.com\r\n\r\n' "$1" \
    | timeout 10 nc -w 3 "$METADATA_HOST" 80 >"$_md_raw" 2>/dev/null
  _md_status=$(head -n 1 "$_md_raw" | cut -d ' ' -f 2)
  # The body starts after the first empty line.
  sed '1,/^\r\{0,1\}$/d' "$_md_raw" >"$2"
  rm -f "$_md_raw"
  case "$_md_status" in
    200) return 0 ;;
    404) return 1 ;;
    *) return 2 ;;
  esac
}
