import { ApartmentOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Tree,
  TreeSelect,
} from 'antd'
import type { TreeDataNode } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { api, type Schemas, ifMatch } from '../../api/client'
import { flattenUnits, ORG_TREE_KEY, useOrgTree, type OrgUnit } from '../../api/org'
import { call, errorMessage } from '../../api/problem'
import { applyFormError } from '../../components/formErrors'
import { EmptyState, ErrorState, Loading } from '../../components/States'
import { formatDateTime } from '../../lib/time'
import { UserSelect } from './UserSelect'

type Kind = NonNullable<Schemas['CreateOrgUnitRequest']['kind']>
const KINDS: Kind[] = ['group', 'enterprise', 'department']

function toTreeData(units: readonly OrgUnit[], q: string): TreeDataNode[] {
  const out: TreeDataNode[] = []
  for (const u of units) {
    const children = toTreeData(u.children ?? [], q)
    const hit = !q || u.name.includes(q) || u.short_name.includes(q)
    if (!hit && children.length === 0) continue
    out.push({
      key: u.id,
      title: (
        <span>
          {u.name}
          {u.is_supervision_office && <Tag color="red" style={{ marginLeft: 6, marginRight: 0 }}>督</Tag>}
        </span>
      ),
      children,
    })
  }
  return out
}

export function unitTreeSelectData(units: readonly OrgUnit[] | undefined, exclude?: string): { value: string; title: string; children: ReturnType<typeof unitTreeSelectData> }[] {
  return (units ?? [])
    .filter((u) => u.id && u.id !== exclude)
    .map((u) => ({ value: u.id, title: u.name, children: unitTreeSelectData(u.children, exclude) }))
}

interface UnitValues {
  name: string
  short_name?: string
  kind: Kind
  parent_id?: string | null
  sort_order?: number
  is_supervision_office?: boolean
  head_user_id?: string | null
  liaison_user_ids?: string[]
}

function UnitModal({
  mode,
  unit,
  parentId,
  roots,
  onClose,
  onSaved,
}: {
  mode: 'create' | 'edit'
  unit?: OrgUnit
  parentId?: string
  roots: readonly OrgUnit[]
  onClose: () => void
  onSaved: (u: OrgUnit) => void
}) {
  const { t } = useTranslation()
  const [form] = Form.useForm<UnitValues>()
  const [error, setError] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: async (v: UnitValues) => {
      if (mode === 'create') {
        return call(
          api.POST('/org-units', {
            body: {
              name: v.name,
              short_name: v.short_name || undefined,
              kind: v.kind,
              parent_id: v.parent_id || undefined,
              sort_order: v.sort_order ?? 0,
              is_supervision_office: !!v.is_supervision_office,
            },
          }),
        )
      }
      return call(
        api.PATCH('/org-units/{id}', {
          params: { path: { id: unit?.id ?? '' } },
          body: {
            name: v.name,
            short_name: v.short_name ?? '',
            kind: v.kind,
            ...(v.parent_id && v.parent_id !== unit?.parent_id ? { parent_id: v.parent_id } : {}),
            sort_order: v.sort_order ?? 0,
            is_supervision_office: !!v.is_supervision_office,
            head_user_id: v.head_user_id ?? null,
            liaison_user_ids: v.liaison_user_ids ?? [],
            version: unit?.version,
          },
        }),
      )
    },
    onSuccess: (u) => onSaved(u),
    onError: (e) => setError(applyFormError(form, e, t)),
  })
  const initial: Partial<UnitValues> =
    mode === 'edit' && unit
      ? {
          name: unit.name,
          short_name: unit.short_name,
          kind: unit.kind,
          parent_id: unit.parent_id,
          sort_order: unit.sort_order,
          is_supervision_office: unit.is_supervision_office,
          head_user_id: unit.head_user_id ?? unit.head?.id ?? null,
          liaison_user_ids: unit.liaison_user_ids ?? unit.liaisons.map((l) => l.id),
        }
      : { kind: 'department', parent_id: parentId, sort_order: 0, is_supervision_office: false }
  return (
    <Modal
      open
      title={mode === 'create' ? t('org.newUnit') : t('org.editUnit')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okText={t('common.save')}
      destroyOnHidden
      width={560}
      okButtonProps={{ 'data-testid': 'unit-save' }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('org.unitName')} rules={[{ required: true, message: t('rules.required') }, { max: 200 }]}>
          <Input data-testid="unit-name" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="short_name" label={t('org.shortName')} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="kind" label={t('org.kind')} rules={[{ required: true, message: t('rules.required') }]}>
              <Select options={KINDS.map((k) => ({ value: k, label: t(`org.kind_${k}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="parent_id" label={t('org.parent')}>
          <TreeSelect treeData={unitTreeSelectData(roots, unit?.id)} treeDefaultExpandAll allowClear showSearch={{ treeNodeFilterProp: 'title' }} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={12}>
            <Form.Item name="sort_order" label={t('org.sortOrder')}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="is_supervision_office" label={t('org.isSupervisionOffice')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        {mode === 'edit' && (
          <>
            <Form.Item name="head_user_id" label={t('org.head')}>
              <UserSelect known={unit?.head ? [unit.head] : []} />
            </Form.Item>
            <Form.Item name="liaison_user_ids" label={t('org.liaisons')}>
              <UserSelect multiple known={unit?.liaisons ?? []} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  )
}

function UnitDetail({ unit, onEdit, onAddChild, onDeleted }: { unit: OrgUnit; onEdit: () => void; onAddChild: () => void; onDeleted: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const allowed = unit.allowed_actions
  const del = useMutation({
    mutationFn: () =>
      call(
        api.DELETE('/org-units/{id}', {
          params: { path: { id: unit.id }, header: { 'If-Match': ifMatch(unit.version) } },
        }),
      ),
    onSuccess: () => {
      void message.success(t('common.deleted'))
      void qc.invalidateQueries({ queryKey: ORG_TREE_KEY })
      onDeleted()
    },
    onError: (e) => void message.error(errorMessage(e, t)),
  })
  return (
    <Card
      title={unit.name}
      extra={
        <Space wrap>
          {allowed.includes('update') && (
            <Button icon={<PlusOutlined />} onClick={onAddChild} data-testid="unit-add-child">
              {t('org.addChild')}
            </Button>
          )}
          {allowed.includes('update') && (
            <Button icon={<EditOutlined />} onClick={onEdit} data-testid="unit-edit">
              {t('common.edit')}
            </Button>
          )}
          {allowed.includes('delete') && (
            <Popconfirm title={t('org.deleteUnitConfirm', { name: unit.name })} okButtonProps={{ danger: true }} onConfirm={() => del.mutateAsync().catch(() => undefined)}>
              <Button danger icon={<DeleteOutlined />} loading={del.isPending} data-testid="unit-delete">
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
        <Descriptions.Item label={t('org.unitName')}>{unit.name}</Descriptions.Item>
        <Descriptions.Item label={t('org.shortName')}>{unit.short_name || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('org.kind')}>{unit.kind ? t(`org.kind_${unit.kind}`) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('org.isSupervisionOffice')}>{unit.is_supervision_office ? t('common.yes') : t('common.no')}</Descriptions.Item>
        <Descriptions.Item label={t('org.head')}>{unit.head?.display_name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('org.liaisons')}>
          {unit.liaisons.length > 0 ? unit.liaisons.map((l) => <Tag key={l.id}>{l.display_name}</Tag>) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.sortOrder')}>{unit.sort_order}</Descriptions.Item>
        <Descriptions.Item label={t('tokens.createdAt')}>{formatDateTime(unit.created_at)}</Descriptions.Item>
      </Descriptions>
    </Card>
  )
}

/** The unit tree with create / edit / delete and head and liaisons. */
export function UnitsPanel({ canCreate }: { canCreate: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const tree = useOrgTree()
  const [params, setParams] = useSearchParams()
  const [search, setSearch] = useState('')
  const [modal, setModal] = useState<null | { mode: 'create'; parentId?: string } | { mode: 'edit' }>(null)
  const selectedId = params.get('unit') ?? undefined
  const roots = useMemo(() => tree.data?.data ?? [], [tree.data])
  const all = useMemo(() => flattenUnits(roots), [roots])
  const selected = all.find((x) => x.unit.id === selectedId)?.unit ?? (selectedId ? undefined : roots[0])
  const select = (id: string | undefined) => {
    const next = new URLSearchParams(params)
    if (id) next.set('unit', id)
    else next.delete('unit')
    setParams(next, { replace: true })
  }
  if (tree.isPending) return <Loading />
  if (tree.isError) return <ErrorState error={tree.error} onRetry={() => void tree.refetch()} />
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={9} xl={8}>
        <Card
          title={
            <Space>
              <ApartmentOutlined />
              {t('org.units')}
            </Space>
          }
          extra={
            canCreate && (
              <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setModal({ mode: 'create', parentId: selected?.id })} data-testid="unit-create">
                {t('org.newUnit')}
              </Button>
            )
          }
        >
          <Input.Search allowClear placeholder={t('common.search')} onChange={(e) => setSearch(e.target.value.trim())} style={{ marginBottom: 12 }} />
          {roots.length === 0 ? (
            <EmptyState />
          ) : (
            <Tree
              data-testid="org-tree"
              treeData={toTreeData(roots, search)}
              defaultExpandAll
              blockNode
              selectedKeys={selected?.id ? [selected.id] : []}
              onSelect={(keys) => keys[0] && select(String(keys[0]))}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={15} xl={16}>
        {selected ? (
          <UnitDetail
            unit={selected}
            onEdit={() => setModal({ mode: 'edit' })}
            onAddChild={() => setModal({ mode: 'create', parentId: selected.id })}
            onDeleted={() => select(selected.parent_id ?? undefined)}
          />
        ) : (
          <Card>
            <EmptyState description={t('org.selectUnit')} />
          </Card>
        )}
      </Col>
      {modal && (
        <UnitModal
          mode={modal.mode}
          unit={modal.mode === 'edit' ? selected : undefined}
          parentId={modal.mode === 'create' ? modal.parentId : undefined}
          roots={roots}
          onClose={() => setModal(null)}
          onSaved={(u) => {
            setModal(null)
            void message.success(t('common.saved'))
            void qc.invalidateQueries({ queryKey: ORG_TREE_KEY })
            if (u.id) select(u.id)
          }}
        />
      )}
    </Row>
  )
}
