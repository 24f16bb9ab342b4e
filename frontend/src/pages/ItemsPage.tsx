import { lazy } from 'react'
import { Route, Routes } from 'react-router'

const ItemsListPage = lazy(() => import('./items/ItemsListPage'))
const ItemDetailPage = lazy(() => import('./items/ItemDetailPage'))
const ItemFormPage = lazy(() => import('./items/ItemFormPage'))

export default function ItemsPage() {
  return (
    <Routes>
      <Route index element={<ItemsListPage />} />
      <Route path="new" element={<ItemFormPage />} />
      <Route path=":id" element={<ItemDetailPage />} />
      <Route path=":id/edit" element={<ItemFormPage />} />
    </Routes>
  )
}
