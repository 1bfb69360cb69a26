# Registers every test with ctest: C unit tests (one executable per file), the HTTP
# API tests (node, against a real alvd and MariaDB) and the browser tests (Playwright).

file(GLOB ALVD_UNIT_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/unit/test_*.c)
foreach(test_source ${ALVD_UNIT_TESTS})
  get_filename_component(test_name ${test_source} NAME_WE)
  add_executable(${test_name} ${test_source})
  target_compile_options(${test_name} PRIVATE ${ALVD_WARNINGS})
  target_include_directories(${test_name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
  target_link_libraries(${test_name} PRIVATE alvd_core)
  add_test(NAME unit/${test_name} COMMAND ${test_name})
  # ALVD_SOURCE_DIR: the store's tests start the tests' MariaDB with scripts/db.
  set_tests_properties(unit/${test_name} PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "ALVD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endforeach()

# API, fault and browser tests need a MariaDB server (ALVD_TEST_DB_SOCKET) and node;
# scripts/test provides both. Each test file starts its own alvd on its own database.
find_program(NODE_EXECUTABLE node)
if(NODE_EXECUTABLE)
  # The rooms of docs/architecture.md (issue 20): SQL only in server/store/, no api module
  # including another, no upward include, no function over 80 lines in server/api/ and
  # server/service/. No exceptions: the baseline the move started with is empty and gone.
  add_test(NAME unit/layers COMMAND ${NODE_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/layers --check)
  set_tests_properties(unit/layers PROPERTIES LABELS unit TIMEOUT 120)
  foreach(kind api faults browser security package cluster)
    file(GLOB tests_of_kind CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${kind}/*.test.mjs)
    foreach(test_file ${tests_of_kind})
      get_filename_component(test_name ${test_file} NAME)
      string(REPLACE ".test.mjs" "" test_name ${test_name})
      add_test(NAME ${kind}/${test_name}
               COMMAND ${NODE_EXECUTABLE} --test --test-reporter=spec ${test_file})
      set_tests_properties(${kind}/${test_name} PROPERTIES
        LABELS ${kind} TIMEOUT 900
        ENVIRONMENT "ALVD_BINARY=$<TARGET_FILE:alvd>;ALVD_SOURCE_DIR=${PROJECT_SOURCE_DIR};ALVD_HOSTILE=$<TARGET_FILE:alvd_hostile>")
    endforeach()
  endforeach()
endif()

# The attacker of the security tests (tests/security/hostile.c): thousands of slow
# connections or held uploads from one address.
add_executable(alvd_hostile ${PROJECT_SOURCE_DIR}/tests/security/hostile.c)
target_compile_options(alvd_hostile PRIVATE ${ALVD_WARNINGS} -fno-sanitize=all)
target_link_options(alvd_hostile PRIVATE -fno-sanitize=all)

# Fuzzers: built in a clang build (-DALVD_FUZZ=ON, target `fuzzers`); a build that
# knows such a directory (-DALVD_FUZZ_DIR=…) runs each briefly with its corpus.
file(GLOB ALVD_FUZZERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_*.c)
if(ALVD_FUZZ)
  add_custom_target(fuzzers)
  foreach(fuzz_source ${ALVD_FUZZERS})
    get_filename_component(fuzz_name ${fuzz_source} NAME_WE)
    add_executable(${fuzz_name} EXCLUDE_FROM_ALL ${fuzz_source})
    target_link_libraries(${fuzz_name} PRIVATE alvd_core)
    target_link_options(${fuzz_name} PRIVATE -fsanitize=fuzzer)
    add_dependencies(fuzzers ${fuzz_name})
  endforeach()
endif()
set(ALVD_FUZZ_DIR "" CACHE PATH "A build directory holding the fuzzers, to run briefly as tests")
if(ALVD_FUZZ_DIR)
  foreach(fuzz_source ${ALVD_FUZZERS})
    get_filename_component(fuzz_name ${fuzz_source} NAME_WE)
    string(REPLACE "fuzz_" "" short_name ${fuzz_name})
    add_test(NAME fuzz/${short_name}
             COMMAND ${PROJECT_SOURCE_DIR}/scripts/fuzz --seconds 5 --build ${ALVD_FUZZ_DIR} ${short_name})
    set_tests_properties(fuzz/${short_name} PROPERTIES LABELS fuzz TIMEOUT 120)
  endforeach()
endif()

# The benchmark's load generator (scripts/bench); not a test.
add_executable(alvd_loadgen EXCLUDE_FROM_ALL ${PROJECT_SOURCE_DIR}/tests/bench/loadgen.c)
target_compile_options(alvd_loadgen PRIVATE ${ALVD_WARNINGS})
target_link_libraries(alvd_loadgen PRIVATE PkgConfig::MARIADB Threads::Threads)
