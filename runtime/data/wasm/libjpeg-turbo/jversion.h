/* Written for sweepspec's WebAssembly build in place of CMake's jversion.h (see jconfig.h). */
#define JVERSION        "6b  27-Mar-1998"
#define JCOPYRIGHT "Copyright (C) 2009-2023 D. R. Commander and others; see LICENSE.md"
#define JCOPYRIGHT_SHORT "Copyright (C) 1991-2023 The libjpeg-turbo Project and many others"
