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
  set_tests_properties(unit/${test_name} PROPERTIES LABELS unit TIMEOUT 120)
endforeach()

# API, fault and browser tests need a MariaDB server (ALVD_TEST_DB_SOCKET) and node;
# scripts/test provides both. Each test file starts its own alvd on its own database.
find_program(NODE_EXECUTABLE node)
if(NODE_EXECUTABLE)
  foreach(kind api faults browser)
    file(GLOB tests_of_kind CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${kind}/*.test.mjs)
    foreach(test_file ${tests_of_kind})
      get_filename_component(test_name ${test_file} NAME)
      string(REPLACE ".test.mjs" "" test_name ${test_name})
      add_test(NAME ${kind}/${test_name}
               COMMAND ${NODE_EXECUTABLE} --test --test-reporter=spec ${test_file})
      set_tests_properties(${kind}/${test_name} PROPERTIES
        LABELS ${kind} TIMEOUT 600
        ENVIRONMENT "ALVD_BINARY=$<TARGET_FILE:alvd>;ALVD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
    endforeach()
  endforeach()
endif()
