package diagnose

// DiagnoseOn is diagnoseOn, for the tests of package diagnose_test.
var DiagnoseOn = diagnoseOn
