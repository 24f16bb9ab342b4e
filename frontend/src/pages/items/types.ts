// The API objects of the item pages, named once. Each is the type generated from the
// OpenAPI document (npm run gen:api); never restate one by hand.
import type { Schemas } from '../../api/client'

export type Item = Schemas['Item']
export type Assignment = Schemas['Assignment']
export type Milestone = Schemas['Milestone']
export type Feedback = Schemas['Feedback']
export type Urge = Schemas['Urge']
export type Extension = Schemas['Extension']
export type DeadlineChange = Schemas['DeadlineChange']
export type Completion = Schemas['CompletionRequest']
export type Verification = Schemas['Verification']
export type Comment = Schemas['Comment']
export type SourceRoute = Schemas['SourceRoute']
export type ItemEvent = Schemas['ItemEvent']
