# ASan + UBSan for the test build (cmake -DBERTH_SANITIZE=ON). Applied globally so that
# every library and test links the same runtime.
if(BERTH_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
