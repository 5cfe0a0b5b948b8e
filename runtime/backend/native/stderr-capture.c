/*
 * sweepspec's stderr capture for loading TensorFlow: libtensorflow logs
 * through absl during its static initialisation ("All log messages before
 * absl::InitializeLog() ...", the oneDNN notice), before any setting such
 * as TF_CPP_MIN_LOG_LEVEL is read, straight to file descriptor 2. Node
 * cannot redirect a descriptor, so this addon does: begin() points fd 2 at
 * an anonymous temporary file and returns [saved fd, capture fd]; end()
 * restores fd 2 and returns what was captured, which the loader filters.
 */
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static napi_value Begin(napi_env env, napi_callback_info info) {
  (void)info;
  fflush(stderr);
  FILE *capture = tmpfile();
  int saved = dup(2);
  int fd = capture ? dup(fileno(capture)) : -1;
  if (capture) fclose(capture);
  if (saved < 0 || fd < 0 || dup2(fd, 2) < 0) {
    if (saved >= 0) close(saved);
    if (fd >= 0) close(fd);
    saved = -1;
    fd = -1;
  }
  napi_value out, a, b;
  napi_create_array_with_length(env, 2, &out);
  napi_create_int32(env, saved, &a);
  napi_create_int32(env, fd, &b);
  napi_set_element(env, out, 0, a);
  napi_set_element(env, out, 1, b);
  return out;
}

static napi_value End(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t saved = -1, fd = -1;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc == 2) {
    napi_get_value_int32(env, argv[0], &saved);
    napi_get_value_int32(env, argv[1], &fd);
  }
  napi_value text;
  if (saved < 0 || fd < 0) {
    napi_create_string_utf8(env, "", 0, &text);
    return text;
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  off_t size = lseek(fd, 0, SEEK_END);
  char *buffer = size > 0 ? malloc((size_t)size) : NULL;
  ssize_t got = 0;
  if (buffer && lseek(fd, 0, SEEK_SET) == 0) got = pread(fd, buffer, (size_t)size, 0);
  close(fd);
  napi_create_string_utf8(env, buffer ? buffer : "", got > 0 ? (size_t)got : 0, &text);
  free(buffer);
  return text;
}

NAPI_MODULE_INIT() {
  napi_value begin, end;
  napi_create_function(env, "begin", NAPI_AUTO_LENGTH, Begin, NULL, &begin);
  napi_create_function(env, "end", NAPI_AUTO_LENGTH, End, NULL, &end);
  napi_set_named_property(env, exports, "begin", begin);
  napi_set_named_property(env, exports, "end", end);
  return exports;
}
