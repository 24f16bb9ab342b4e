package org

// SubtreeSQL selects the ids of a unit (the one parameter) and all its
// descendants, for other packages' conditions (users IN a subtree).
const SubtreeSQL = subtreeSQL
