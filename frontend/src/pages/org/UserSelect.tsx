import { useQuery } from '@tanstack/react-query'
import { Select } from 'antd'
import { useDeferredValue, useState } from 'react'
import { api } from '../../api/client'
import { call } from '../../api/problem'

export interface PersonOption {
  id?: string
  username?: string
  display_name?: string
}

function label(p: PersonOption) {
  return p.display_name ? `${p.display_name}（${p.username ?? ''}）` : (p.username ?? p.id ?? '')
}

/** Picks users by searching GET /users; `known` labels the current values. */
export function UserSelect({
  value,
  onChange,
  multiple = false,
  known = [],
  placeholder,
  testId,
  role,
  unitId,
  disabled,
  id,
}: {
  value?: string | string[] | null
  onChange?: (v: string | string[] | null) => void
  multiple?: boolean
  known?: PersonOption[]
  placeholder?: string
  testId?: string
  /** only users with this role */
  role?: 'admin' | 'supervisor' | 'leader' | 'member' | 'auditor'
  /** only the people of this unit and the units under it (a responsible person: 承办人) */
  unitId?: string
  disabled?: boolean
  /** set by Form.Item: ties the field's label to the input */
  id?: string
}) {
  const [search, setSearch] = useState('')
  const q = useDeferredValue(search)
  const users = useQuery({
    queryKey: ['users', 'pick', q, role, unitId],
    queryFn: () =>
      call(
        api.GET('/users', {
          params: { query: { q: q || undefined, role, active: true, page_size: 30, org_unit_id: unitId, subtree: unitId ? true : undefined } },
        }),
      ),
    staleTime: 30_000,
    enabled: !disabled,
  })
  const options = new Map<string, string>()
  for (const p of known) if (p.id) options.set(p.id, label(p))
  for (const u of users.data?.data ?? []) if (u.id) options.set(u.id, label(u))
  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      disabled={disabled}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? (multiple ? [] : undefined)}
      onChange={(v: string | string[] | undefined) => onChange?.(v ?? (multiple ? [] : null))}
      loading={users.isFetching}
      placeholder={placeholder}
      // outside a form field (no id to link a label to) the placeholder names it
      aria-label={id ? undefined : placeholder}
      options={[...options].map(([value, label]) => ({ value, label }))}
      data-testid={testId}
    />
  )
}
