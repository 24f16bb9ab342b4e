import { useQuery } from '@tanstack/react-query'
import { api, type Schemas } from './client'
import { call } from './problem'

export type OfficeContact = Schemas['OfficeContact']

export const officeContactKey = ['settings', 'office-contact'] as const

/** The supervision office's contact of the caller's scope (everyone signed in reads it). */
export const officeContactQuery = {
  queryKey: officeContactKey,
  queryFn: () => call(api.GET('/settings/office-contact')),
  staleTime: 5 * 60_000,
}

export function useOfficeContact(enabled = true) {
  return useQuery({ ...officeContactQuery, enabled })
}
