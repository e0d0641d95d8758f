# Warnings applied to Berth's own targets (not to third-party headers, which are system includes).
add_library(berth_warnings INTERFACE)
target_compile_options(berth_warnings INTERFACE
  -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
  -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  -Wno-missing-field-initializers)
if(BERTH_WERROR)
  target_compile_options(berth_warnings INTERFACE -Werror)
endif()

# berth_module(<name> SOURCES ... DEPS ...): a static library for src/<name>.
function(berth_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(berth_${name} STATIC ${M_SOURCES})
  target_include_directories(berth_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(berth_${name} PUBLIC ${M_DEPS} PRIVATE berth_warnings)
endfunction()
