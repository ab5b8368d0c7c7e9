# herald_warnings(target): the house warning set; -Werror when HERALD_WERROR is on (CI).
function(herald_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough
    # GCC 12 reports Asio's coroutine-frame allocator (awaitable_frame_base::operator new/delete)
    # as mismatched: a false positive (GCC bug 109224 family); nothing of ours allocates that way.
    -Wno-mismatched-new-delete)
  # -Wnull-dereference is left out: at -O2 it fires inside Boost.Asio's scheduler, not our code.
  if(HERALD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(HERALD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# herald_embed(target NAMESPACE ns FILES f1 f2 ...): compiles files (SQL, OpenAPI, web assets)
# into the binary as a name -> content map, so one binary carries its own migrations and queries.
# Generates <ns>_embedded.cpp defining `const std::map<std::string_view, std::string_view>& <ns>::embedded_files()`.
function(herald_embed target)
  cmake_parse_arguments(ARG "" "NAMESPACE;BASE" "FILES" ${ARGN})
  string(REPLACE "::" "_" stem "${ARG_NAMESPACE}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${stem}_embedded.cpp)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ARG_NAMESPACE} -DBASE=${ARG_BASE}
            "-DFILES=${ARG_FILES}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARG_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${ARG_NAMESPACE} files" VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()

# herald_add_tests(prefix LIBS libs... SOURCES files...): one gtest binary per kind of test,
# chosen by suffix: *_test.cpp (unit), *_pgtest.cpp (real PostgreSQL), *_redistest.cpp (real Redis).
# Each test case becomes a ctest test labelled unit / pg / redis. PROPERTIES: more ctest
# properties for every test case of this prefix (e.g. RESOURCE_LOCK name).
function(herald_add_tests prefix)
  if(NOT HERALD_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "LIBS;SOURCES;PROPERTIES" ${ARGN})
  foreach(kind test pgtest redistest)
    set(files ${ARG_SOURCES})
    list(FILTER files INCLUDE REGEX "_${kind}\\.cpp$")
    if(NOT files)
      continue()
    endif()
    if(kind STREQUAL "test")
      set(label unit)
    elseif(kind STREQUAL "pgtest")
      set(label pg)
    else()
      set(label redis)
    endif()
    set(exe ${prefix}_${label}_tests)
    add_executable(${exe} ${files})
    target_link_libraries(${exe} PRIVATE ${ARG_LIBS} herald_test_support GTest::gtest GTest::gmock GTest::gtest_main)
    herald_warnings(${exe})
    gtest_discover_tests(${exe} PROPERTIES LABELS ${label} ${ARG_PROPERTIES} DISCOVERY_TIMEOUT 30)
  endforeach()
endfunction()

# herald_add_service(name [EXECUTABLE exe]): the standard shape of a service folder:
#   library herald_<name> from every .cpp except main.cpp and tests,
#   migrations/*.sql, store/*.sql and openapi.yaml embedded (namespace herald::<name>::embedded),
#   executable <exe> from main.cpp (if present), tests by suffix.
function(herald_add_service name)
  cmake_parse_arguments(ARG "" "EXECUTABLE" "DEPS" ${ARGN})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB_RECURSE all CONFIGURE_DEPENDS ${dir}/*.cpp)
  set(sources ${all})
  list(FILTER sources EXCLUDE REGEX "(_test|_pgtest|_redistest)\\.cpp$|/main\\.cpp$")
  set(tests ${all})
  list(FILTER tests INCLUDE REGEX "_(test|pgtest|redistest)\\.cpp$")
  file(GLOB_RECURSE embedded CONFIGURE_DEPENDS ${dir}/migrations/*.sql ${dir}/store/*.sql ${dir}/openapi.yaml)

  set(lib herald_${name})
  add_library(${lib} STATIC ${sources})
  target_link_libraries(${lib} PUBLIC herald_core ${ARG_DEPS})
  herald_warnings(${lib})
  herald_embed(${lib} NAMESPACE herald::${name}::embedded BASE ${dir} FILES ${embedded})

  if(ARG_EXECUTABLE AND EXISTS ${dir}/main.cpp)
    add_executable(${ARG_EXECUTABLE} ${dir}/main.cpp)
    target_link_libraries(${ARG_EXECUTABLE} PRIVATE ${lib})
    herald_warnings(${ARG_EXECUTABLE})
  endif()
  herald_add_tests(${name} LIBS ${lib} SOURCES ${tests})
endfunction()
